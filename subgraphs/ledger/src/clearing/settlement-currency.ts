import type { DataSource, EntityManager } from "typeorm";
import { serviceTimeouts } from "../../../../shared/src/database";
import type { Logger } from "../../../../shared/src/logger";
import { settlementCurrencyConflict, settlementCurrencyForTools } from "../rules";
import { settlementCurrency, settlementCurrencyNamed } from "../settings";

/** The currency recorded in the database (null: none yet), and whether anything holds amounts (terms or closed periods). */
async function recordedAndPriced(manager: EntityManager): Promise<{ recorded: string | null; priced: boolean }> {
  const [row]: { currency: string }[] = await manager.query(`SELECT currency FROM settlement_currency`);
  const [{ priced }]: { priced: boolean }[] = await manager.query(`SELECT EXISTS (SELECT FROM partner_terms) OR EXISTS (SELECT FROM settlement_periods) AS priced`);
  return { recorded: row?.currency ?? null, priced };
}

/** How often the start tries to take the check's locks, and the pause between two tries. */
export const CHECK_TRIES = 3;
const PAUSE_BETWEEN_TRIES_MS = 1_000;
/** Each try's lock wait when DB_LOCK_TIMEOUT_MS is 0 (no limit for requests): a start still must not hang. */
const CHECK_LOCK_TIMEOUT_MS_WHEN_NONE = 5_000;

const isLockNotGranted = (error: unknown): boolean => {
  const e = error as { code?: string; driverError?: { code?: string } };
  return (e.driverError?.code ?? e.code) === "55P03";
};

/**
 * Run at start, after the migrations, before the ledger serves (subgraph.ts `checkDatabase`): records
 * SETTLEMENT_CURRENCY in the database when none is recorded (or nothing is priced yet), and throws,
 * naming both, when the setting differs from the currency its terms and closed periods are in, or when
 * the database has amounts but nothing recorded (from before SettlementCurrency1734890000001) and
 * SETTLEMENT_CURRENCY is not set (rules/clearing-periods.ts `settlementCurrencyConflict`).
 *
 * Its locks wait at most DB_LOCK_TIMEOUT_MS each try (its connection, the migrations', has no limit of
 * its own): a session holding the terms or periods (a close, a long transaction) is waited for
 * CHECK_TRIES times, then the start stops, saying so, instead of hanging (and queueing every writer of
 * terms behind its SHARE lock meanwhile).
 */
export async function recordSettlementCurrency(dataSource: DataSource, log: Logger): Promise<void> {
  const lockTimeoutMs = serviceTimeouts().lock || CHECK_LOCK_TIMEOUT_MS_WHEN_NONE;
  for (let attempt = 1; ; attempt++) {
    try {
      return await checkOnce(dataSource, lockTimeoutMs);
    } catch (error) {
      if (!isLockNotGranted(error)) throw error;
      if (attempt >= CHECK_TRIES) {
        throw new Error(
          `The ledger could not check the settlement currency: another session held the ledger's terms or periods (partner_terms, settlement_periods) ` +
            `or settlement_currency locked through ${CHECK_TRIES} tries of ${lockTimeoutMs} ms each (DB_LOCK_TIMEOUT_MS): a period being closed, ` +
            `a long transaction writing terms, a migration or an operator's session. Start the ledger again once it has ended`,
        );
      }
      log.warn(`settlement currency check waited ${lockTimeoutMs} ms for a lock another session holds; trying again in ${PAUSE_BETWEEN_TRIES_MS} ms`, { attempt, tries: CHECK_TRIES });
      await new Promise((resolve) => setTimeout(resolve, PAUSE_BETWEEN_TRIES_MS));
    }
  }
}

async function checkOnce(dataSource: DataSource, lockTimeoutMs: number): Promise<void> {
  const configured = settlementCurrency();
  await dataSource.transaction(async (tx) => {
    await tx.query(`SELECT set_config('lock_timeout', $1, true)`, [`${lockTimeoutMs}ms`]); // SET LOCAL: this transaction only
    // One starting process decides at a time, and no terms or close commit between its check and its write.
    await tx.query(`LOCK TABLE settlement_currency IN EXCLUSIVE MODE`);
    await tx.query(`LOCK TABLE partner_terms, settlement_periods IN SHARE MODE`);
    const { recorded, priced } = await recordedAndPriced(tx);
    const conflict = settlementCurrencyConflict(recorded, configured, priced, settlementCurrencyNamed());
    if (conflict) throw new Error(conflict);
    if (recorded === configured) return;
    await tx.query(
      `INSERT INTO settlement_currency (currency) VALUES ($1) ON CONFLICT (one) DO UPDATE SET currency = EXCLUDED.currency, recorded_at = now()`,
      [configured],
    );
  });
}

/**
 * The currency an operator tool (clearing:export) reports in: the recorded one, or SETTLEMENT_CURRENCY
 * where the ledger's start would take it; throws where the start would refuse
 * (rules `settlementCurrencyForTools`). Records nothing, takes no lock.
 */
export async function settlementCurrencyOfTools(dataSource: DataSource): Promise<string> {
  const { recorded, priced } = await recordedAndPriced(dataSource.manager);
  const outcome = settlementCurrencyForTools(recorded, settlementCurrency(), priced, settlementCurrencyNamed());
  if ("refusal" in outcome) throw new Error(outcome.refusal);
  return outcome.currency;
}
