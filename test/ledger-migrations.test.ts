import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import { withDatabase } from "../shared/src/config";
import { createDataSource, dropDatabase, ensureDatabase } from "../shared/src/database";
import { createLogger } from "../shared/src/logger";
import { migrations } from "../subgraphs/ledger/src/data-source";
import {
  APPLY_CAMPAIGN_BONUSES,
  APPLY_CAMPAIGN_BONUSES_ANY_SCAN,
  APPLY_CAMPAIGN_BONUSES_BEFORE_CROSS_BRAND_EARNED,
  APPLY_CAMPAIGN_BONUSES_BEFORE_ISSUE_PRICE_IN_PLACE,
  APPLY_CAMPAIGN_BONUSES_BEFORE_REFERRAL_GUARDS,
  APPLY_CAMPAIGN_BONUSES_BEFORE_REFERRER_EXPIRY_IN_MONTHS,
  APPLY_CAMPAIGN_BONUSES_MATCHED_AS_ANDS,
  APPLY_CAMPAIGN_BONUSES_ONE_BY_ONE,
  APPLY_CAMPAIGN_BONUSES_TOTALS_ON_CAMPAIGNS,
  CLEARING_VALUE_POSTINGS,
  CLEARING_VALUE_POSTINGS_BEFORE_ADJUSTMENT_TAKES,
  CLEARING_VALUE_POSTINGS_BEFORE_LOT_ORIGINS,
  RECORD_PURCHASES,
  RECORD_PURCHASES_BEFORE_ISSUE_PRICE_IN_PLACE,
  RECORD_PURCHASES_BEFORE_TIER_AT_PURCHASE,
} from "../subgraphs/ledger/src/sql";

/**
 * The ledger's latest migrations on a database of their own, with history written before them:
 * transfer keys move into their sender's scope and back, and record_purchases gains the cap and loses it.
 */
const url = withDatabase(process.env.TEST_DATABASE_URL!, `coalition_ledger_migrations${process.env.TEST_DATABASE_NAME_SUFFIX}`);
const dataSourceWith = (list: Function[]) => createDataSource({ url, entities: [], migrations: list, log: createLogger("test"), poolSize: 2 });
let db: DataSource;
const upToScopedKeys = migrations.slice(0, migrations.findIndex((m) => m.name === "ScopedTransferKeys1733320000000") + 1);

beforeAll(async () => {
  await dropDatabase(url);
  await ensureDatabase(url);
  // Everything before ScopedTransferKeys and RecordPurchasesCapped: the ledger as it was (later migrations are tried last).
  const before = dataSourceWith(upToScopedKeys.filter((m) => !/ScopedTransferKeys|RecordPurchasesCapped/.test(m.name)));
  await before.initialize();
  await before.runMigrations();
  await before.destroy();
  db = dataSourceWith(upToScopedKeys);
  await db.initialize();
});
afterAll(async () => {
  await db.destroy();
  await dropDatabase(url);
});

/** A transfer recorded straight in the ledger's tables, as the service writes it, under `key`. */
async function transfer(from: string, to: string, key: string): Promise<void> {
  const [a, b] = await db.query(
    `INSERT INTO accounts (kind, owner_id) VALUES ('MEMBER', $1), ('MEMBER', $2) ON CONFLICT (kind, owner_id) DO UPDATE SET kind = EXCLUDED.kind RETURNING id`,
    [from, to],
  );
  const [tx] = await db.query(`INSERT INTO transactions (kind, idempotency_key, fingerprint, occurred_at) VALUES ('TRANSFER', $1, 'f', now()) RETURNING id`, [key]);
  await db.query(
    `INSERT INTO postings (transaction_id, account_id, amount, occurred_at, member_id, entry_kind)
     VALUES ($1, $2, -5, now(), $3, 'TRANSFER_OUT'), ($1, $4, 5, now(), $5, 'TRANSFER_IN')`,
    [tx.id, a.id, from, b.id, to],
  );
}

const transferKeys = async () => (await db.query(`SELECT idempotency_key FROM transactions WHERE kind = 'TRANSFER' ORDER BY 1`)).map((r: { idempotency_key: string }) => r.idempotency_key);
const recordPurchasesArguments = async () => (await db.query(`SELECT pg_get_function_arguments('record_purchases'::regproc) AS args`))[0].args as string;

describe("ledger migrations: scoped transfer keys, capped record_purchases", () => {
  it("moves recorded transfer keys into their sender's scope, and back", async () => {
    const [a, b] = [randomUUID(), randomUUID()].sort();
    await transfer(a, b, "transfer:gift-1");
    await transfer(b, a, "transfer:gift-2");
    expect(await recordPurchasesArguments()).not.toContain("p_points_cap");

    await db.runMigrations();
    expect(await recordPurchasesArguments()).toMatch(/p_now timestamp with time zone, p_points_cap bigint$/);
    expect(await transferKeys()).toEqual([`transfer:${a}:gift-1`, `transfer:${b}:gift-2`].sort());
    // History is append-only again once the migration is done.
    await expect(db.query(`UPDATE transactions SET idempotency_key = idempotency_key WHERE kind = 'TRANSFER'`)).rejects.toThrow(/append-only/);

    await db.undoLastMigration();
    expect(await transferKeys()).toEqual(["transfer:gift-1", "transfer:gift-2"]);
    await db.undoLastMigration();
    expect(await recordPurchasesArguments()).toMatch(/p_now timestamp with time zone$/);
    await db.runMigrations();
  });

  it("refuses to go back to global keys once two members use the same key", async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    await transfer(a, b, `transfer:${a}:shared`);
    await transfer(b, a, `transfer:${b}:shared`);
    await expect(db.undoLastMigration()).rejects.toThrow(/several members used the transfer key "shared"/);
    expect(await transferKeys()).toContain(`transfer:${a}:shared`);
  });
});

describe("ledger migrations: record_purchases from its one definition, explicit reversals", () => {
  let all: DataSource;
  beforeAll(async () => {
    all = dataSourceWith(migrations);
    await all.initialize();
    await all.runMigrations();
  });
  afterAll(() => all.destroy());
  const undoTo = async (name: string) => {
    while ((await all.query(`SELECT name FROM migrations ORDER BY id DESC LIMIT 1`))[0].name !== name) await all.undoLastMigration();
  };

  it("installs the current definition and goes back to the capped one", async () => {
    expect(await recordPurchasesArguments()).toContain("p_tier_at timestamp with time zone[], p_tier_from timestamp with time zone[]");
    await undoTo("ScopedTransferKeys1733320000000");
    expect(await recordPurchasesArguments()).not.toContain("p_tier_from");
    expect(await recordPurchasesArguments()).toMatch(/p_now timestamp with time zone, p_points_cap bigint$/);
    await all.runMigrations();
    expect(await recordPurchasesArguments()).toContain("p_tier_from");
  });

  it("IssuePriceInPlace: record_purchases reads each lot's issue price in place, and its revert calls clearing_issue_price again", async () => {
    const body = async () => (await all.query(`SELECT prosrc FROM pg_proc WHERE proname = 'record_purchases'`))[0].prosrc as string;
    expect(await body()).toBe(RECORD_PURCHASES.body);
    expect(await body()).not.toContain("clearing_issue_price(");
    await undoTo("TimeOrderedIds1734600000000");
    expect(await body()).toBe(RECORD_PURCHASES_BEFORE_ISSUE_PRICE_IN_PLACE.body);
    expect(await body()).toContain("clearing_issue_price(m.partner, p_now)");
    await all.runMigrations();
    expect(await body()).toBe(RECORD_PURCHASES.body);
  });

  it("LotOrigins: lots gain origin_lot_id and the take-back is priced by its chain's first expiry; its revert drops both", async () => {
    const body = async () => (await all.query(`SELECT prosrc FROM pg_proc WHERE proname = 'clearing_value_postings'`))[0].prosrc as string;
    const column = async () => (await all.query(`SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'lots' AND column_name = 'origin_lot_id'`))[0].n;
    expect(await body()).toBe(CLEARING_VALUE_POSTINGS.body);
    expect(await column()).toBe(1);
    await undoTo("AdjustmentNotesErased1734920000000");
    expect(await body()).toBe(CLEARING_VALUE_POSTINGS_BEFORE_LOT_ORIGINS.body);
    expect(await column()).toBe(0);
    await all.runMigrations();
    expect(await body()).toBe(CLEARING_VALUE_POSTINGS.body);
    expect(await column()).toBe(1);
  });

  it("ReferrerBonusExpiryInMonths and TierAtPurchase install their definitions (and the purchases' column); each revert the one before", async () => {
    const body = async (name: string) => (await all.query(`SELECT prosrc FROM pg_proc WHERE proname = $1`, [name]))[0].prosrc as string;
    const column = async () => (await all.query(`SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'purchases' AND column_name = 'tier_qualifying_points'`))[0].n;
    expect([await body("apply_campaign_bonuses"), await body("record_purchases"), await column()]).toEqual([APPLY_CAMPAIGN_BONUSES.body, RECORD_PURCHASES.body, 1]);
    await undoTo("ReferrerBonusExpiryInMonths1734950000000");
    expect([await body("apply_campaign_bonuses"), await body("record_purchases"), await column()]).toEqual([APPLY_CAMPAIGN_BONUSES.body, RECORD_PURCHASES_BEFORE_TIER_AT_PURCHASE.body, 0]);
    await undoTo("LotOrigins1734930000000");
    expect(await body("apply_campaign_bonuses")).toBe(APPLY_CAMPAIGN_BONUSES_BEFORE_REFERRER_EXPIRY_IN_MONTHS.body);
    expect(await body("apply_campaign_bonuses")).toContain("make_interval(secs => extract(epoch FROM r.expires_at - r.earned_at))");
    await all.runMigrations();
    expect([await body("apply_campaign_bonuses"), await body("record_purchases"), await column()]).toEqual([APPLY_CAMPAIGN_BONUSES.body, RECORD_PURCHASES.body, 1]);
  });

  it("AdjustmentTakesAtLotPrices: a take-back is valued at its lots' prices; its revert values it at the funder's price again", async () => {
    const body = async () => (await all.query(`SELECT prosrc FROM pg_proc WHERE proname = 'clearing_value_postings'`))[0].prosrc as string;
    expect(await body()).toBe(CLEARING_VALUE_POSTINGS.body);
    expect(await body()).toContain("TAKEN_LOTS_PRICE");
    await undoTo("LotOrigins1734930000000");
    expect(await body()).toBe(CLEARING_VALUE_POSTINGS_BEFORE_ADJUSTMENT_TAKES.body);
    expect(await body()).not.toContain("TAKEN_LOTS_PRICE");
    await all.runMigrations();
    expect(await body()).toBe(CLEARING_VALUE_POSTINGS.body);
  });

  it("backfills each recorded reversal's reason and reversed transaction from its key, and drops them going back", async () => {
    await undoTo("RecordPurchasesFromRules1733400000000");
    const partner = randomUUID();
    const redemption = randomUUID();
    const insert = async (kind: string, key: string, reference: string) =>
      (await all.query(
        `INSERT INTO transactions (kind, idempotency_key, fingerprint, partner_id, reference, occurred_at) VALUES ($1, $2, 'f', $3, $4, now()) RETURNING id`,
        [kind, key, partner, reference],
      ))[0].id as string;
    const earn = await insert("EARN", `purchase:${partner}:r-1`, "r-1");
    const refund = await insert("REVERSAL", `reversal:${partner}:r-1:refund-1`, "r-1");
    const redeem = await insert("REDEEM", `redemption:${redemption}`, redemption);
    const cancel = await insert("REVERSAL", `cancellation:${redemption}`, redemption);
    await all.runMigrations();
    const rows = await all.query(`SELECT id, reversal_reason, reverses_transaction_id FROM transactions WHERE id = ANY($1::uuid[]) ORDER BY idempotency_key`, [[earn, refund, redeem, cancel]]);
    expect(rows).toEqual([
      { id: cancel, reversal_reason: "REDEMPTION_CANCELLED", reverses_transaction_id: redeem },
      { id: earn, reversal_reason: null, reverses_transaction_id: null },
      { id: redeem, reversal_reason: null, reverses_transaction_id: null },
      { id: refund, reversal_reason: "PURCHASE_REFUND", reverses_transaction_id: earn },
    ]);
    await expect(all.query(`UPDATE transactions SET reversal_reason = NULL WHERE id = $1`, [refund])).rejects.toThrow(/append-only/);
    await undoTo("RecordPurchasesFromRules1733400000000");
    expect((await all.query(`SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'transactions' AND column_name = 'reversal_reason'`))[0].n).toBe(0);
    await all.runMigrations();
  });

  it("apply_campaign_bonuses: each migration installs its own definition, and each revert the one before it", async () => {
    const body = async () => (await all.query(`SELECT prosrc FROM pg_proc WHERE proname = 'apply_campaign_bonuses'`))[0].prosrc as string;
    const settings = async () => (await all.query(`SELECT proconfig FROM pg_proc WHERE proname = 'apply_campaign_bonuses'`))[0].proconfig as string[] | null;
    expect(await body()).toBe(APPLY_CAMPAIGN_BONUSES.body);
    expect(await settings()).toEqual(["enable_seqscan=off"]);
    expect(await body()).not.toContain("clearing_issue_price(");
    await undoTo("TimeOrderedIds1734600000000");
    expect(await body()).toBe(APPLY_CAMPAIGN_BONUSES_BEFORE_ISSUE_PRICE_IN_PLACE.body);
    expect(await body()).toContain("clearing_issue_price(p.funder_id, p_now)");
    expect(await settings()).toEqual(["enable_seqscan=off"]);
    await undoTo("ReversalsAsCharged1734330000000");
    expect(await body()).toBe(APPLY_CAMPAIGN_BONUSES_BEFORE_CROSS_BRAND_EARNED.body);
    expect(await body()).not.toContain("o.points > 0");
    expect(await settings()).toEqual(["enable_seqscan=off"]);
    // ReferralGuards' revert: a referral paid on any first purchase, an erased referrer included.
    expect(await body()).toContain("WHERE m.points > 0");
    await undoTo("CampaignFundersAndReferrers1734310000000");
    expect(await body()).toBe(APPLY_CAMPAIGN_BONUSES_BEFORE_REFERRAL_GUARDS.body);
    expect(await body()).not.toContain("WHERE m.points > 0");
    expect(await body()).not.toContain("member_erasures");
    await undoTo("CampaignTotals1734290000000");
    expect(await body()).toBe(APPLY_CAMPAIGN_BONUSES_ANY_SCAN.body);
    expect(await settings()).toBeNull();
    await undoTo("CampaignMatchesCoveredFirst1734270000000");
    expect(await body()).toBe(APPLY_CAMPAIGN_BONUSES_TOTALS_ON_CAMPAIGNS.body);
    await undoTo("CampaignBonusesAtOnce1734260000000");
    expect(await body()).toBe(APPLY_CAMPAIGN_BONUSES_MATCHED_AS_ANDS.body);
    await undoTo("EarnMonths1734250200000");
    expect(await body()).toBe(APPLY_CAMPAIGN_BONUSES_ONE_BY_ONE.body);
    await all.runMigrations();
    expect(await body()).toBe(APPLY_CAMPAIGN_BONUSES.body);
    expect(await settings()).toEqual(["enable_seqscan=off"]);
  });
  it("moves each campaign's budget and totals to campaign_totals, and back, values and checks alike", async () => {
    await undoTo("CampaignMatchesCoveredFirst1734270000000");
    const window = `now() - interval '1 day', now() + interval '1 day'`;
    const [capped] = await all.query(
      `INSERT INTO campaigns (name, starts_at, ends_at, bonus_points, budget_points, points_awarded, members_rewarded) VALUES ('capped', ${window}, 10, 500, 120, 7) RETURNING id`,
    );
    const [open] = await all.query(`INSERT INTO campaigns (name, starts_at, ends_at, bonus_percent, points_awarded) VALUES ('open', ${window}, 50, 30) RETURNING id`);
    await all.runMigrations();
    const totals = await all.query(`SELECT campaign_id, budget_points, points_awarded, members_rewarded FROM campaign_totals WHERE campaign_id = ANY($1::uuid[]) ORDER BY points_awarded`, [[capped.id, open.id]]);
    expect(totals).toEqual([
      { campaign_id: open.id, budget_points: null, points_awarded: "30", members_rewarded: 0 },
      { campaign_id: capped.id, budget_points: "500", points_awarded: "120", members_rewarded: 7 },
    ]);
    const campaignColumns = async () =>
      (await all.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'campaigns' AND column_name IN ('budget_points', 'points_awarded', 'members_rewarded') ORDER BY 1`)).map(
        (r: { column_name: string }) => r.column_name,
      );
    expect(await campaignColumns()).toEqual([]);
    // The budget still holds, now on the totals row.
    await expect(all.query(`UPDATE campaign_totals SET points_awarded = 501 WHERE campaign_id = $1`, [capped.id])).rejects.toThrow(/check constraint/);

    await undoTo("CampaignMatchesCoveredFirst1734270000000");
    expect(await campaignColumns()).toEqual(["budget_points", "members_rewarded", "points_awarded"]);
    const back = await all.query(`SELECT id, budget_points, points_awarded, members_rewarded FROM campaigns WHERE id = ANY($1::uuid[]) ORDER BY points_awarded`, [[capped.id, open.id]]);
    expect(back).toEqual([
      { id: open.id, budget_points: null, points_awarded: "30", members_rewarded: 0 },
      { id: capped.id, budget_points: "500", points_awarded: "120", members_rewarded: 7 },
    ]);
    await expect(all.query(`UPDATE campaigns SET points_awarded = 501 WHERE id = $1`, [capped.id])).rejects.toThrow(/check constraint/);
    await all.runMigrations();
  });
});
