import { type LineTotal, type StatementFigures, exactValue, roundLine, safe, statementFigures } from "./clearing";
import { canonicalJson } from "./clearing-periods";

/**
 * A statement as it is shown, stored when its period closes, hashed and checked by clearing:verify:
 * one pure function from the running totals, so a live statement, a closed one and the audit's
 * recomputation cannot differ. Pure; test/unit/clearing-rules.test.ts checks it by hand.
 */

/** Points of one issuer redeemed at one redeemer in a period (net of cancellations). */
export interface MatrixCell {
  issuerId: string;
  redeemerId: string;
  points: bigint;
}

export interface Counterpart {
  partnerId: string;
  pointsIssuedRedeemedThere: number;
  pointsRedeemedHereIssuedThere: number;
}

export interface StatementRecord extends StatementFigures {
  period: string;
  partnerId: string;
  currency: string;
  counterparts: Counterpart[];
}

/** For each other partner: this partner's points redeemed there, and its points redeemed here; by partner id, zero rows left out. */
export function counterpartsOf(partnerId: string, matrix: MatrixCell[]): Counterpart[] {
  const others = new Map<string, { there: bigint; here: bigint }>();
  for (const cell of matrix) {
    if (cell.issuerId === cell.redeemerId) continue;
    if (cell.issuerId === partnerId) {
      const o = others.get(cell.redeemerId) ?? { there: 0n, here: 0n };
      others.set(cell.redeemerId, { ...o, there: o.there + cell.points });
    } else if (cell.redeemerId === partnerId) {
      const o = others.get(cell.issuerId) ?? { there: 0n, here: 0n };
      others.set(cell.issuerId, { ...o, here: o.here + cell.points });
    }
  }
  return [...others.entries()]
    .filter(([, o]) => o.there !== 0n || o.here !== 0n)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, o]) => ({ partnerId: id, pointsIssuedRedeemedThere: safe(o.there, "points"), pointsRedeemedHereIssuedThere: safe(o.here, "points") }));
}

export function statementRecord(period: string, partnerId: string, currency: string, lines: LineTotal[], matrix: MatrixCell[]): StatementRecord {
  return { period, partnerId, currency, ...statementFigures(lines), counterparts: counterpartsOf(partnerId, matrix) };
}

/** The stored text of a closed statement (what its hash covers: clearing/hash-chain.ts). */
export const statementText = (record: StatementRecord): string => canonicalJson(record);

export interface ReportTotals {
  moneyIn: number;
  moneyOut: number;
  margin: number;
  coalitionPointsIssued: number;
}

/** The coalition's totals of a period: charges (positive lines) in, credits and payments (negative lines) out. */
export function reportTotals(statements: StatementRecord[], coalitionPointsIssued: bigint): ReportTotals {
  let moneyIn = 0n;
  let moneyOut = 0n;
  for (const s of statements) {
    for (const line of s.lines) {
      if (line.amount > 0) moneyIn += BigInt(line.amount);
      else moneyOut -= BigInt(line.amount);
    }
  }
  return {
    moneyIn: safe(moneyIn, "money in"),
    moneyOut: safe(moneyOut, "money out"),
    margin: safe(moneyIn - moneyOut, "margin"),
    coalitionPointsIssued: safe(coalitionPointsIssued, "coalition points"),
  };
}

/** A lot as the liability reads it: what it still holds, when it expires, the issue price it was charged (null before the clearing house: 0). */
export interface LiabilityLot {
  remaining: number;
  expiresAt: Date;
  issuePricePer1000: number | null;
}

/**
 * A lot's points outstanding at `now`, the one rule of `Partner.liability`, `coalitionLiability` and
 * `Partner.settlement.outstandingLiability` (sql/liability.ts is its SQL): what it still holds, unless it
 * is past its expiry. Points past their expiry are never spendable (holdings.ts `expired`), whether or not
 * the expiry run has posted them yet: they are no liability either (the run then credits them as breakage).
 * Points inside a return window (pending) and points reserved by a hold still count: members hold them.
 */
export const outstandingPoints = (lot: LiabilityLot, now: Date): number =>
  lot.remaining > 0 && lot.expiresAt.getTime() > now.getTime() ? lot.remaining : 0;

/** Outstanding points and their exact charged value (exactValue at each lot's own price, summed, 1/100,000 minor units). */
export function outstanding(lots: readonly LiabilityLot[], now: Date): { points: bigint; charged: bigint } {
  let points = 0n;
  let charged = 0n;
  for (const lot of lots) {
    const p = BigInt(outstandingPoints(lot, now));
    points += p;
    charged += exactValue(p, BigInt(lot.issuePricePer1000 ?? 0));
  }
  return { points, charged };
}

/** A liability's value: exact charged value (1/100,000 minor units) rounded once. */
export const liabilityValue = (chargedValue: bigint): number => safe(roundLine(chargedValue), "liability value");

/**
 * Expected breakage: expired ÷ (expired + redeemed); null without history. `expired` is the BREAKAGE
 * lines' points, net of refunds' take-backs (rules/refunds.ts `fromExpired`), which count in the
 * refund's period: a window whose refunds took back more than expired in it (the expiry came before
 * it) counts no expired points, never fewer than none (a negative rate before).
 */
export function breakageRate(netExpired: bigint, redeemed: bigint): number | null {
  const expired = netExpired > 0n ? netExpired : 0n;
  const total = expired + redeemed;
  if (total <= 0n) return null;
  return Number((expired * 1_000_000n) / total) / 1_000_000;
}


