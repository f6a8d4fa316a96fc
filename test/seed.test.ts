import { Client } from "pg";
import { SUBGRAPH_NAMES, withDatabase } from "../shared/src/config";
import { type MemberSlot, seedPurchases, seedMember } from "../shared/src/seed/plan";
import { earnPurchases } from "../subgraphs/ledger/src/seed/earnings";
import { type SeedOptions, type SeedSummary, expectedMemberStanding, seedCoalition } from "../tools/seed/seed";
import { postGraphQL } from "../tools/stack/graphql-client";
import { useDedicatedStack } from "./support/dedicated-stack";
import { expectLedgerConsistent } from "./support/ledger";

/**
 * The bulk seeder writes straight into a running stack's four databases; the stack must then answer
 * exactly what the real services would have written for the same purchases (balances, tiers,
 * per-partner totals, activity, idempotent replays), ledger:verify must find nothing, and reruns
 * and interrupted runs must end with the same rows.
 */
const dedicated = useDedicatedStack("seed", { LEDGER_TEST_CLOCK: "1" });

const SIZE = { partners: 5, rewards: 20, heavyMemberEntries: 2_000, batchSize: 100 };
/** 10 purchases per member on average whatever the member count, so 150 then 300 members is one plan. */
const seed = (members: number, extra: SeedOptions = {}) =>
  seedCoalition({ ...SIZE, members, entries: members * 10, databaseUrl: process.env.TEST_DATABASE_URL, suffix: dedicated.suffix, ...extra });

const gql = async (query: string, variables: Record<string, unknown> = {}) => {
  const result = await postGraphQL(dedicated.stack.gatewayUrl, query, variables, dedicated.admin());
  if (result.errors?.length) throw new Error(JSON.stringify(result.errors));
  return result.data!;
};

/** Rows in every table of the four databases. */
async function rowCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const name of SUBGRAPH_NAMES) {
    const client = new Client({ connectionString: withDatabase(process.env.TEST_DATABASE_URL!, `coalition_${name}${dedicated.suffix}`) });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT relname, n_live_tup FROM pg_stat_user_tables`);
      for (const { relname } of rows) {
        const [{ n }] = (await client.query(`SELECT count(*)::int AS n FROM "${relname}"`)).rows;
        counts[`${name}.${relname}`] = n;
      }
    } finally {
      await client.end();
    }
  }
  return counts;
}

/** The seed skips per-row foreign-key checks when it can (replica mode): check every reference once here. */
async function expectNoDanglingReferences() {
  const ledger = new Client({ connectionString: withDatabase(process.env.TEST_DATABASE_URL!, `coalition_ledger${dedicated.suffix}`) });
  await ledger.connect();
  try {
    const { rows } = await ledger.query(`
      SELECT (SELECT count(*) FROM postings p WHERE NOT EXISTS (SELECT 1 FROM transactions t WHERE t.id = p.transaction_id))
           + (SELECT count(*) FROM postings p WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = p.account_id))
           + (SELECT count(*) FROM purchases p WHERE NOT EXISTS (SELECT 1 FROM transactions t WHERE t.id = p.transaction_id))
           + (SELECT count(*) FROM lots l WHERE NOT EXISTS (SELECT 1 FROM transactions t WHERE t.id = l.transaction_id)) AS dangling`);
    expect(Number(rows[0].dangling)).toBe(0);
  } finally {
    await ledger.end();
  }
}

const STANDING = `query($id: ID!) {
  member(id: $id) {
    email
    balance { available pending lifetimeEarned lifetimeRedeemed byPartner { partner { id } earned redeemed } }
    tier
    tierProgress { qualifyingPoints }
  }
}`;

async function expectStandingOf(summary: SeedSummary, slot: MemberSlot) {
  const member = seedMember(summary.plan, slot);
  const expected = expectedMemberStanding(summary.plan, slot);
  const { member: got } = await gql(STANDING, { id: member.id });
  expect(got).toEqual({
    email: member.email,
    balance: {
      available: expected.available,
      pending: expected.pending,
      lifetimeEarned: expected.lifetimeEarned,
      lifetimeRedeemed: 0,
      byPartner: expected.byPartner.map(({ partnerId, earned }) => ({ partner: { id: partnerId }, earned, redeemed: 0 })),
    },
    tier: expected.tier,
    tierProgress: { qualifyingPoints: expected.qualifying },
  });
  return expected;
}

describe("npm run seed (bulk seeding)", () => {
  let summary: SeedSummary;

  test("a run stopped after two batches, then a full run of 150, then 300 members, complete the coalition", async () => {
    const stopped = await seed(150, { stopAfterBatches: 2 });
    expect(stopped.complete).toBe(false);
    expect(stopped.batches).toMatchObject({ total: 4, written: 2 });
    await expectLedgerConsistent(dedicated.suffix);

    const resumed = await seed(150);
    expect(resumed).toMatchObject({ complete: true, batches: { total: 4, written: 2, skipped: 2 } });
    summary = await seed(300);
    expect(summary).toMatchObject({ complete: true, members: 302, partners: 5, rewards: 20, batches: { total: 5, written: 2, skipped: 3 } });
    expect(summary.entries).toBeGreaterThanOrEqual(3_000 + 10 + 2_000);
    expect(summary.entries).toBeLessThan(3_000 + 10 + 2_000 + 10);
    await expectLedgerConsistent(dedicated.suffix);

    const counts = await rowCounts();
    expect(counts["members.members"]).toBe(302);
    expect(counts["partners.partners"]).toBe(5);
    expect(counts["catalog.rewards"]).toBe(20);
    expect(counts["ledger.transactions"]).toBe(summary.entries);
    expect(counts["ledger.postings"]).toBe(2 * summary.entries);
    await expectNoDanglingReferences();
  });

  test("balances, tiers and per-partner totals through the gateway are what the purchases earn", async () => {
    const light = await expectStandingOf(summary, "light");
    expect(light.lifetimeEarned).toBeGreaterThan(0);
    const heavy = await expectStandingOf(summary, "heavy");
    expect(heavy.tier).not.toBe("BASE");
    // Regular members from the stopped run, the resumed one and the larger one.
    for (const slot of [1, 77, 150, 151, 300]) await expectStandingOf(summary, slot);
    // Some seeded points are still inside a return window.
    const pending = [...Array(300).keys()].map((i) => expectedMemberStanding(summary.plan, i + 1).pending);
    expect(pending.some((points) => points > 0)).toBe(true);

    const { memberByEmail } = await gql(`{ memberByEmail(email: "light@bench.coalition.test") { id partnerAccounts { partner { id } } activity(first: 2) { edges { node { kind reference } } } } }`);
    expect(memberByEmail.id).toBe(summary.lightMember.id);
    expect(memberByEmail.partnerAccounts).toHaveLength(3);
    expect(memberByEmail.activity.edges.map((e: { node: unknown }) => e.node)).toEqual([
      { kind: "EARN", reference: "seed-light-10" },
      { kind: "EARN", reference: "seed-light-9" },
    ]);
    const { rewards } = await gql(`{ rewards(first: 100) { id partner { id } } }`);
    expect(rewards).toHaveLength(20);
  });

  test("a seeded purchase sent again through recordPurchase is a replay of the seeded entry", async () => {
    const member = seedMember(summary.plan, 77);
    const [purchase] = seedPurchases(summary.plan, member);
    const partner = summary.plan.partners[purchase.partner];
    const input = { partnerId: partner.id, memberId: member.id, amountMinor: purchase.amountMinor, currency: partner.currency, reference: `seed-77-${purchase.k}` };
    const query = `mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { kind reference points member { id } } }`;
    const { recordPurchase } = await gql(query, { input });
    expect(recordPurchase).toMatchObject({ kind: "EARN", reference: input.reference, member: { id: member.id } });
    const conflict = await postGraphQL(dedicated.stack.gatewayUrl, query, { input: { ...input, amountMinor: input.amountMinor + 1 } }, dedicated.admin());
    expect(conflict.errors?.map((e) => e.extensions?.code)).toEqual(["IDEMPOTENCY_CONFLICT"]);
    await expectStandingOf(summary, 77);
  });

  test("a second run writes nothing", async () => {
    const before = await rowCounts();
    const again = await seed(300);
    expect(again).toMatchObject({ complete: true, rowsWritten: 0, batches: { written: 0, skipped: 5 } });
    expect(again.anchor).toEqual(summary.anchor);
    expect(await rowCounts()).toEqual(before);
    await expectLedgerConsistent(dedicated.suffix);
  });

  test("the heavy member cannot be reseeded with another size", async () => {
    await expect(seed(300, { heavyMemberEntries: 2_001 })).rejects.toThrow(/already has 2000 entries/);
  });

  test("the real service, recording the heavy member's first 250 purchases at their own times, earns and stores what the seed wrote", async () => {
    // 250 purchases cross SILVER and GOLD, so tier bonuses and pending windows both matter.
    const heavy = seedMember(summary.plan, "heavy");
    const purchases = seedPurchases(summary.plan, heavy).slice(0, 250);
    const earned = earnPurchases(purchases, summary.plan.partners);
    expect(new Set(earned.map((p) => Math.round((100 * p.points) / Math.max(1, p.base)))).size).toBeGreaterThan(2);
    const { enrollMember } = await gql(`mutation { enrollMember(input: { email: "replay@seed.test", displayName: "Replay" }) { id } }`);
    const clock = new URL("/test/clock", dedicated.stack.services.ledger.url);
    const setClock = (offsetMs: number) => fetch(clock, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ offsetMs }) });
    const points: number[] = [];
    try {
      for (const p of purchases) {
        // The ledger's clock 100 ms after the purchase: no return window (whole seconds) ends in between.
        await setClock(p.at * 1000 + 100 - Date.now());
        const partner = summary.plan.partners[p.partner];
        const { recordPurchase } = await gql(`mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { points } }`, {
          input: { partnerId: partner.id, memberId: enrollMember.id, amountMinor: p.amountMinor, currency: partner.currency, reference: `replay-${p.k}`, occurredAt: new Date(p.at * 1000).toISOString() },
        });
        points.push(recordPurchase.points);
      }
    } finally {
      await setClock(0);
    }
    expect(points).toEqual(earned.map((p) => p.points));

    // Row for row, the seeded purchases and lots are the ones the service wrote, the qualifying points each one's tier was read from too.
    const ledger = new Client({ connectionString: withDatabase(process.env.TEST_DATABASE_URL!, `coalition_ledger${dedicated.suffix}`) });
    await ledger.connect();
    try {
      const rows = async (memberId: string) =>
        (
          await ledger.query(
            `SELECT p.partner_id, p.amount_minor, p.points, p.base_points, p.tier_qualifying_points, p.earned_at, p.available_at, l.points AS lot_points, l.remaining, l.expires_at, l.source
             FROM purchases p JOIN lots l USING (transaction_id) WHERE p.member_id = $1 ORDER BY p.earned_at, l.id LIMIT 250`,
            [memberId],
          )
        ).rows;
      expect(await rows(heavy.id)).toEqual(await rows(enrollMember.id));
    } finally {
      await ledger.end();
    }
    await expectLedgerConsistent(dedicated.suffix);
  });
});
