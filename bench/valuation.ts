import { createDataSource, maintenanceTimeouts } from "../shared/src/database";
import type { Logger } from "../shared/src/logger";
import { RECORD_PURCHASES, RECORD_PURCHASES_WITHOUT_VALUATION, replaceFunctionSql } from "../subgraphs/ledger/src/subgraph";
import { ledgerDatabaseUrl } from "./purchase-capacity";

/**
 * The clearing house's valuation switched off for one measurement, so the bench can weigh what it
 * costs recordPurchase in the same run (issue 16, item 9). Off is today's purchase path without the
 * clearing house: record_purchases without its two edits (posted_at, the lot's issue price), and the
 * triggers of ClearingHouse1734000000000 that the purchase path fires disabled: `postings_clearing`
 * (values every statement's postings into the running totals) and `lots_clearing_price` (prices a lot
 * inserted without a price: left on, it would price every lot of the unpriced text, one row at a time).
 *
 * Each switch is one transaction on the running ledger's database, and the function is replaced in
 * place (CREATE OR REPLACE: same signature, same oid), not dropped and created as installFunction does
 * for migrations: the ledger keeps calling record_purchases and never finds it missing or half switched.
 * The tables are locked in the order record_purchases locks them (lots, then postings), so a group the
 * ledger is still writing cannot deadlock with the switch.
 *
 * Purchases written while it is off are in no clearing total and their lots have no price (read as 0).
 * clearing:verify would report that; the bench does not run it (its database is thrown away), and
 * ledger:verify, which it runs, checks no clearing figure.
 */
const VALUATION_TRIGGERS = [
  { table: "lots", trigger: "lots_clearing_price" },
  { table: "postings", trigger: "postings_clearing" },
] as const;

/** Runs `measure` with the valuation off, and always switches it back on afterwards. */
export async function withoutValuation<T>(env: NodeJS.ProcessEnv, log: Logger, measure: () => Promise<T>): Promise<T> {
  await switchValuation(env, log, false);
  try {
    return await measure();
  } finally {
    await switchValuation(env, log, true);
  }
}

async function switchValuation(env: NodeJS.ProcessEnv, log: Logger, on: boolean): Promise<void> {
  const dataSource = createDataSource({ url: ledgerDatabaseUrl(env), entities: [], migrations: [], log, poolSize: 1, timeouts: maintenanceTimeouts() });
  await dataSource.initialize();
  try {
    await dataSource.transaction(async (manager) => {
      for (const { table, trigger } of VALUATION_TRIGGERS) await manager.query(`ALTER TABLE ${table} ${on ? "ENABLE" : "DISABLE"} TRIGGER ${trigger}`);
      await manager.query(replaceFunctionSql(on ? RECORD_PURCHASES : RECORD_PURCHASES_WITHOUT_VALUATION));
    });
  } finally {
    await dataSource.destroy();
  }
}
