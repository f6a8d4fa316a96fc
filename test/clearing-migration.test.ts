import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import { withDatabase } from "../shared/src/config";
import { createDataSource, dropDatabase, ensureDatabase } from "../shared/src/database";
import { createLogger } from "../shared/src/logger";
import { migrations } from "../subgraphs/ledger/src/data-source";

/**
 * The ClearingHouse migration on a database of its own, with history written before it: the history is
 * counted into the running totals by period (worth nothing: there were no terms), and down() removes
 * everything it added.
 */
const url = withDatabase(process.env.TEST_DATABASE_URL!, `coalition_ledger_clearing_migration${process.env.TEST_DATABASE_NAME_SUFFIX}`);
let db: DataSource;

beforeAll(async () => {
  await dropDatabase(url);
  await ensureDatabase(url);
  // The migrations before it, then (in the test) it: the later ones build on it (ReversalsAsCharged1734330000000 replaces its trigger's function).
  const at = migrations.findIndex((m) => m.name === "ClearingHouse1734000000000");
  const before = createDataSource({ url, entities: [], migrations: migrations.slice(0, at), log: createLogger("test"), poolSize: 2 });
  await before.initialize();
  await before.runMigrations();
  await before.destroy();
  db = createDataSource({ url, entities: [], migrations: migrations.slice(0, at + 1), log: createLogger("test"), poolSize: 2 });
  await db.initialize();
});
afterAll(async () => {
  await db.destroy();
  await dropDatabase(url);
});

/** A balanced transaction straight in the tables, as the services wrote them before the clearing house. */
async function post(kind: string, partner: string, member: string, memberAmount: number, account: string, occurredAt: string, reverses?: { reason: string; id: string }): Promise<string> {
  const [tx] = await db.query(
    `INSERT INTO transactions (kind, idempotency_key, fingerprint, partner_id, occurred_at, reversal_reason, reverses_transaction_id) VALUES ($1, $2, 'f', $3, $4, $5, $6) RETURNING id`,
    [kind, randomUUID(), partner, occurredAt, reverses?.reason ?? null, reverses?.id ?? null],
  );
  const accounts = await db.query(
    `INSERT INTO accounts (kind, owner_id, balance) VALUES ('MEMBER', $1, $2), ($3, $4, $5)
     ON CONFLICT (kind, owner_id) DO UPDATE SET balance = accounts.balance + EXCLUDED.balance RETURNING id, kind`,
    [member, memberAmount, account, partner, -memberAmount],
  );
  const memberAccount = accounts.find((a: { kind: string }) => a.kind === "MEMBER").id;
  const partnerAccount = accounts.find((a: { kind: string }) => a.kind !== "MEMBER").id;
  await db.query(
    `INSERT INTO postings (transaction_id, account_id, amount, occurred_at, member_id, entry_kind) VALUES ($1, $2, $3, $6, $4, $5), ($1, $7, $8, $6, NULL, NULL)`,
    [tx.id, memberAccount, memberAmount, member, kind, occurredAt, partnerAccount, -memberAmount],
  );
  return tx.id;
}

/** 100 points earned at `issuer` in October, `remaining` of them left in their lot. */
async function earnLot(issuer: string, member: string, remaining: number): Promise<string> {
  const earn = await post("EARN", issuer, member, 100, "PARTNER_ISSUANCE", "2026-10-15T12:00:00Z");
  const [lot] = await db.query(
    `INSERT INTO lots (transaction_id, member_id, partner_id, source, points, remaining, earned_at, available_at, expires_at)
     VALUES ($1, $2, $3, 'EARN', 100, $4, '2026-10-15T12:00:00Z', '2026-10-15T12:00:00Z', '2028-10-15T12:00:00Z') RETURNING id`,
    [earn, member, issuer, remaining],
  );
  return lot.id;
}

/** A redemption at `redeemer` paid from `lot`. */
async function redeemFrom(lot: string, redeemer: string, member: string, points: number, occurredAt: string): Promise<string> {
  const redeem = await post("REDEEM", redeemer, member, -points, "PARTNER_REDEMPTION", occurredAt);
  await db.query(`INSERT INTO lot_takes (transaction_id, lot_id, points) VALUES ($1, $2, $3)`, [redeem, lot, points]);
  return redeem;
}

it("counts the history into the totals by period, worth nothing, and goes back", async () => {
  const [issuer, redeemer, member] = [randomUUID(), randomUUID(), randomUUID()];
  const lot = await earnLot(issuer, member, 70);
  await redeemFrom(lot, redeemer, member, 30, "2026-11-02T08:00:00Z");

  await db.runMigrations();
  const totals = await db.query(`SELECT to_char(period, 'YYYY-MM') AS period, partner_id, line, points::int, value::int FROM clearing_totals ORDER BY period`);
  expect(totals).toEqual([
    { period: "2026-10", partner_id: issuer, line: "PURCHASES_ISSUED", points: 100, value: 0 },
    { period: "2026-11", partner_id: redeemer, line: "REDEMPTIONS", points: 30, value: 0 },
  ]);
  expect(await db.query(`SELECT to_char(period, 'YYYY-MM') AS period, issuer_id, redeemer_id, points::int FROM clearing_matrix`)).toEqual([
    { period: "2026-11", issuer_id: issuer, redeemer_id: redeemer, points: 30 },
  ]);
  // From now on the trigger keeps them: a later redemption at the same partner adds to the same line.
  await redeemFrom(lot, redeemer, member, 5, "2026-11-20T08:00:00Z");
  expect((await db.query(`SELECT points::int FROM clearing_totals WHERE partner_id = $1`, [redeemer]))[0].points).toBe(35);
  expect((await db.query(`SELECT points::int FROM clearing_matrix WHERE redeemer_id = $1`, [redeemer]))[0].points).toBe(35);

  await db.undoLastMigration();
  const left = await db.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name IN ('clearing_totals', 'clearing_matrix', 'partner_terms', 'settlement_statements')`);
  expect(left[0].n).toBe(0);
  expect((await db.query(`SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'transactions' AND column_name = 'posted_at'`))[0].n).toBe(0);
  await db.runMigrations();
  expect((await db.query(`SELECT sum(points)::int AS n FROM clearing_totals WHERE partner_id = $1`, [redeemer]))[0].n).toBe(35);
});

it("counts a redemption cancelled in its own month as the net the issuer's lots paid (the backfill's two inserts meet in one row)", async () => {
  await db.undoLastMigration();
  const [issuer, redeemer, member] = [randomUUID(), randomUUID(), randomUUID()];
  const lot = await earnLot(issuer, member, 60);
  // Two redemptions at the same partner in November, one of them cancelled the next day (as cancelRedemption wrote it).
  await redeemFrom(lot, redeemer, member, 30, "2026-11-02T08:00:00Z");
  const cancelled = await redeemFrom(lot, redeemer, member, 10, "2026-11-03T08:00:00Z");
  await post("REVERSAL", redeemer, member, 10, "PARTNER_REDEMPTION", "2026-11-04T08:00:00Z", { reason: "REDEMPTION_CANCELLED", id: cancelled });

  await db.runMigrations();
  expect(await db.query(`SELECT to_char(period, 'YYYY-MM') AS period, points::int FROM clearing_matrix WHERE redeemer_id = $1`, [redeemer])).toEqual([
    { period: "2026-11", points: 30 },
  ]);
  expect(await db.query(`SELECT line, points::int FROM clearing_totals WHERE partner_id = $1 ORDER BY line`, [redeemer])).toEqual([
    { line: "REDEMPTIONS", points: 40 },
    { line: "REDEMPTION_CANCELLATIONS", points: 10 },
  ]);
});
