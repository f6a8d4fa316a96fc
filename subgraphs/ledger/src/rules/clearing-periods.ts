/**
 * Settlement periods, partner terms' limits, and the canonical text closed statements are hashed over (clearing/hash-chain.ts). Pure: no clock, no database.
 * test/unit/clearing-rules.test.ts checks them by hand.
 */

/** A settlement period is a calendar month in UTC, written `YYYY-MM`. */
const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The first day (00:00 UTC) of a `YYYY-MM` period, or null when the text is not one (years 2000 to 9999). */
export function parsePeriod(text: string): Date | null {
  const match = PERIOD.exec(text);
  if (!match || Number(match[1]) < 2000) return null;
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1));
}

/** The period (`YYYY-MM`) holding an instant, in UTC. */
export const periodOf = (at: Date): string => at.toISOString().slice(0, 7);

/** The first instant after a period (its end, excluded). */
export function periodEnd(start: Date): Date {
  return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
}

/** The period before one. */
export function previousPeriod(start: Date): Date {
  return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() - 1, 1));
}

/**
 * When a movement is posted (the period it is settled in): when the ledger writes it. An operator run
 * "as of" an earlier instant (ledger:expire --now, catching up) still writes now, so it never moves money
 * into a past month (one before the first close never closes; a closed one refuses it); an instant later
 * than the clock (a test database moved ahead) is taken as it is.
 */
export const postingTime = (asOf: Date, clock: Date): Date => (asOf.getTime() > clock.getTime() ? asOf : clock);

/** A period may be closed once it has ended: its end at or before now. */
export const periodHasEnded = (start: Date, now: Date): boolean => periodEnd(start).getTime() <= now.getTime();

/** Prices are minor units per 1,000 points: at most 100,000,000 (a million euros per 1,000 points). */
export const MAX_PRICE_PER_1000 = 100_000_000;
/** Prepaid top-ups: at most 1,000,000,000,000 points at once. */
export const MAX_PREPAID_TOP_UP = 1_000_000_000_000;

/** The settlement currency: one per coalition, ISO 4217 letters (SETTLEMENT_CURRENCY, default EUR). */
export const DEFAULT_SETTLEMENT_CURRENCY = "EUR";
export function settlementCurrencyOf(value: string | undefined): string {
  const currency = value?.trim() || DEFAULT_SETTLEMENT_CURRENCY;
  if (!/^[A-Z]{3}$/.test(currency)) throw new Error(`SETTLEMENT_CURRENCY must be three capital letters (ISO 4217), got "${value}"`);
  return currency;
}

/**
 * Why a prepaid top-up is refused, or null: only a partner whose terms in force now are PREPAID may be
 * topped up (`billingNow` null: no terms yet). `prepaidFrom`, the start of its next PREPAID terms if
 * any, is named so the admin knows when to come back. Terms that start later never count now.
 */
export function prepaidTopUpRefusal(billingNow: string | null, prepaidFrom: Date | null): string | null {
  if (billingNow === "PREPAID") return null;
  return prepaidFrom
    ? `This partner is not PREPAID now (its terms are PREPAID from ${prepaidFrom.toISOString()}): top it up once they are in force`
    : "This partner's terms in force now are not PREPAID: set PREPAID terms (setPartnerTerms) and top it up once they are in force";
}

/**
 * Why the ledger must not start with SETTLEMENT_CURRENCY `configured`, or null. `recorded` is the
 * currency its database holds (null: none yet, so it takes `configured`); `priced` whether anything
 * holds amounts in it (terms or closed periods); `explicit` whether SETTLEMENT_CURRENCY is set (not
 * empty) rather than left to the default. Amounts are minor units with no currency of their own, so
 * another currency would silently mix them; with nothing priced the recorded one may change. A
 * database from before SettlementCurrency1734890000001 has amounts and nothing recorded: only the
 * operator can say what they are in, so the default is not taken for it.
 */
export function settlementCurrencyConflict(recorded: string | null, configured: string, priced: boolean, explicit: boolean): string | null {
  if (recorded === null) {
    if (!priced || explicit) return null;
    return `SETTLEMENT_CURRENCY is not set and this ledger's database has terms or closed periods but no settlement currency recorded ` +
      `(a database from before SettlementCurrency1734890000001): their amounts are minor units of a currency it cannot tell, and the default ` +
      `${DEFAULT_SETTLEMENT_CURRENCY} would be recorded for good whatever they are in. Set SETTLEMENT_CURRENCY to the currency they are in ` +
      `(e.g. SETTLEMENT_CURRENCY=${DEFAULT_SETTLEMENT_CURRENCY}): the ledger records it when it starts with it, and keeps it`;
  }
  if (recorded === configured || !priced) return null;
  return `SETTLEMENT_CURRENCY is ${configured}${explicit ? "" : " (the default: it is not set)"} but this ledger's terms and statements are in ${recorded}: their amounts are minor units of ${recorded}, ` +
    `and would be mixed with ${configured}'s. Set SETTLEMENT_CURRENCY=${recorded} (a coalition settles in one currency for good)`;
}

/**
 * The currency an operator tool (clearing:export) reports in, or why it refuses (it records nothing):
 * with SETTLEMENT_CURRENCY unset, the recorded one; else what the ledger would start with
 * (settlementCurrencyConflict: another currency than the recorded one while anything is priced, or none
 * named for a database with amounts and nothing recorded, is refused).
 */
export function settlementCurrencyForTools(recorded: string | null, configured: string, priced: boolean, explicit: boolean): { currency: string } | { refusal: string } {
  if (recorded !== null && !explicit) return { currency: recorded };
  const refusal = settlementCurrencyConflict(recorded, configured, priced, explicit);
  return refusal ? { refusal } : { currency: configured };
}

/** The hash that starts every chain (a partner's first closed statement, the first closed period). */
export const GENESIS_HASH = "0".repeat(64);

/** Canonical text of a JSON value: object keys sorted, no spaces, so the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
