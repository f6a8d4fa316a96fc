import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import { withDatabase } from "../shared/src/config";
import { createDataSource, dropDatabase, ensureDatabase } from "../shared/src/database";
import { createLogger } from "../shared/src/logger";
import { migrations } from "../subgraphs/ledger/src/data-source";
import { type PurchaseToWrite, writePurchases } from "../subgraphs/ledger/src/purchase/purchase-writer";

/**
 * apply_campaign_bonuses finds campaigns, their totals and the members' campaign totals by key,
 * whatever the statistics said when a connection cached its plan (PLANNED_BY_KEY in
 * sql/campaign-bonuses.ts). Here the plan is cached while the campaign tables are empty and analysed
 * as such, as after a seed; then a campaign pays bonuses, and none of its tables is scanned whole.
 */
const url = withDatabase(process.env.TEST_DATABASE_URL!, `coalition_ledger_plans${process.env.TEST_DATABASE_NAME_SUFFIX}`);
let db: DataSource;

beforeAll(async () => {
  await dropDatabase(url);
  await ensureDatabase(url);
  // One connection: the plans it caches are the ones the purchases below run with.
  db = createDataSource({ url, entities: [], migrations, log: createLogger("test"), poolSize: 1 });
  await db.initialize();
  await db.runMigrations();
});
afterAll(async () => {
  await db.destroy();
  await dropDatabase(url);
});

const partner = randomUUID();
let receipt = 0;
function purchase(memberId: string): PurchaseToWrite {
  const now = new Date();
  const reference = `r-${++receipt}`;
  return {
    idempotencyKey: `purchase:${partner}:${reference}`,
    fingerprint: `f-${reference}`,
    memberId,
    partnerId: partner,
    reference,
    amountMinor: 1_000,
    basePoints: 100,
    earnedAt: now,
    availableAt: now,
    expiresAt: new Date(now.getTime() + 365 * 86_400_000),
    memberVouched: true,
    receivedAt: now,
    tierAt: null,
  };
}

it("a plan cached while the campaign tables were empty still finds the campaigns and totals by key", async () => {
  await db.query("VACUUM (ANALYZE)");
  // The plan a busy ledger connection ends up with (after its first five calls), here from the first call.
  await db.query("SET plan_cache_mode = force_generic_plan");
  await writePurchases(db.manager, [purchase(randomUUID())]);

  const [campaign] = await db.query(
    `INSERT INTO campaigns (name, partner_ids, starts_at, ends_at, bonus_points) VALUES ('plans', ARRAY[$1]::uuid[], now() - interval '1 hour', now() + interval '1 hour', 10) RETURNING id`,
    [partner],
  );
  await db.query(`INSERT INTO campaign_totals (campaign_id) VALUES ($1)`, [campaign.id]);

  // Sequential scans of each campaign table by the purchases (the backend's counts so far, read before and after them).
  const sequentialScans = `SELECT pg_stat_get_xact_numscans('campaigns'::regclass)::int AS campaigns, pg_stat_get_xact_numscans('campaign_totals'::regclass)::int AS totals,
                                  pg_stat_get_xact_numscans('campaign_member_points'::regclass)::int AS member_points`;
  const scans = await db.transaction(async (tx) => {
    const [before] = await tx.query(sequentialScans);
    const outcomes = await writePurchases(tx, [purchase(randomUUID()), purchase(randomUUID())]);
    expect(outcomes.map((o) => o?.outcome)).toEqual(["CREATED", "CREATED"]);
    const [after] = await tx.query(sequentialScans);
    return { campaigns: after.campaigns - before.campaigns, totals: after.totals - before.totals, member_points: after.member_points - before.member_points };
  });
  // None (before PLANNED_BY_KEY: each of them, the members' totals once per bonus).
  expect(scans).toEqual({ campaigns: 0, totals: 0, member_points: 0 });
  const bonuses = await db.query(`SELECT points::int FROM campaign_bonuses WHERE campaign_id = $1`, [campaign.id]);
  expect(bonuses).toEqual([{ points: 10 }, { points: 10 }]);
  expect((await db.query(`SELECT points_awarded::int, members_rewarded FROM campaign_totals WHERE campaign_id = $1`, [campaign.id]))[0]).toEqual({
    points_awarded: 20,
    members_rewarded: 2,
  });
});
