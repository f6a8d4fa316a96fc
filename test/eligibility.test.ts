import { randomUUID } from "node:crypto";
import { withDatabase } from "../shared/src/config";
import { createDataSource } from "../shared/src/database";
import { TierLevel } from "../shared/src/enums";
import { createLogger } from "../shared/src/logger";
import type { SubgraphClient } from "../shared/src/subgraph-client";
import { entities } from "../subgraphs/catalog/src/data-source";
import { type EligibilityReward, isEligible } from "../subgraphs/catalog/src/reward/eligibility";
import { RewardService } from "../subgraphs/catalog/src/reward/reward.service";
import { createReward, eligibleRewardIds, enrollMember, recordPurchase, registerPartner } from "./support/fixtures";
import { gql, ok, unique } from "./support/gateway";

/**
 * The catalog's one eligibility list, seen from outside: the SQL it generates agrees with its
 * TypeScript on every combination of boundaries, and through the gateway a reward is listed in
 * `eligibleRewards` exactly when redeeming it succeeds, the refusal carrying the documented code.
 */

const REDEEM = `mutation($input: RedeemRewardInput!) { redeemReward(input: $input) { id status } }`;
const CANCEL = `mutation($id: ID!) { cancelRedemption(id: $id) { id status } }`;

describe("the eligibility SQL agrees with the eligibility list", () => {
  it("on every combination of boundaries (dates at now ±1 ms, stock 0/1/null, each tier, limit reached or not, cost ±1), at a `now` of the caller's", async () => {
    const NOW = new Date("2031-03-01T09:30:00.000Z"); // not the database's clock: SQL now() would disagree
    const at = (offset: number | null) => (offset === null ? null : new Date(NOW.getTime() + offset));
    const tiers = [TierLevel.BASE, TierLevel.SILVER, TierLevel.GOLD, TierLevel.PLATINUM];
    const rewards: (EligibilityReward & { id: string })[] = [];
    for (const active of [true, false])
      for (const from of [null, -1, 0, 1])
        for (const until of [null, -1, 0, 1]) {
          if (from !== null && until !== null && until <= from) continue; // the table's CHECK
          for (const stock of [null, 0, 1])
            for (const minimumTier of tiers)
              for (const maxPerMember of [null, 1, 2])
                for (const costPoints of [499, 500, 501])
                  rewards.push({ id: randomUUID(), active, validFrom: at(from), validUntil: at(until), stock, minimumTier, maxPerMember, costPoints });
        }
    const standings = tiers.flatMap((tier) => [0, 1, 2].map((redeemed) => ({ memberId: randomUUID(), tier, available: 500, redeemed })));

    const source = createDataSource({
      url: withDatabase(process.env.TEST_DATABASE_URL!, `coalition_catalog${process.env.TEST_DATABASE_NAME_SUFFIX}`),
      entities,
      migrations: [],
      log: createLogger("test"),
      poolSize: 1,
    });
    await source.initialize();
    const runner = source.createQueryRunner();
    await runner.startTransaction();
    try {
      const q = (sql: string, params: unknown[]) => runner.query(sql, params);
      await q(
        `INSERT INTO rewards (id, partner_id, title, description, cost_points, minimum_tier, stock, initial_stock, max_per_member, valid_from, valid_until, active)
         SELECT id, gen_random_uuid(), 'matrix', '', cost, tier, stock, stock, max_per_member, valid_from, valid_until, active
         FROM unnest($1::uuid[], $2::int[], $3::text[], $4::int[], $5::int[], $6::timestamptz[], $7::timestamptz[], $8::boolean[])
           AS t(id, cost, tier, stock, max_per_member, valid_from, valid_until, active)`,
        [
          rewards.map((r) => r.id),
          rewards.map((r) => r.costPoints),
          rewards.map((r) => r.minimumTier),
          rewards.map((r) => r.stock),
          rewards.map((r) => r.maxPerMember),
          rewards.map((r) => r.validFrom),
          rewards.map((r) => r.validUntil),
          rewards.map((r) => r.active),
        ],
      );
      // Each member holds `redeemed` live redemptions of every reward, plus a FAILED and a CANCELLED one (which do not count).
      await q(
        `INSERT INTO redemptions (member_id, reward_id, points_spent, status, idempotency_key)
         SELECT m.id, r.id, 1, s.status, 'matrix-' || s.n || '-' || r.id
         FROM unnest($1::uuid[], $2::int[]) AS m(id, redeemed)
         CROSS JOIN unnest($3::uuid[]) AS r(id)
         CROSS JOIN LATERAL (
           SELECT CASE WHEN g % 2 = 0 THEN 'COMPLETED' ELSE 'PENDING' END AS status, g AS n FROM generate_series(1, m.redeemed) g
           UNION ALL SELECT 'FAILED', -1 UNION ALL SELECT 'CANCELLED', -2
         ) s`,
        [standings.map((s) => s.memberId), standings.map((s) => s.redeemed), rewards.map((r) => r.id)],
      );

      // The service's own statement, run inside this transaction (rolled back: other tests never see these rows).
      const service = new RewardService(runner.manager as never, {} as SubgraphClient);
      const lists = await service.eligible(standings, 100_000, NOW);
      const ours = new Set(rewards.map((r) => r.id));
      const disagreements: unknown[] = [];
      let listed = 0;
      standings.forEach((standing, i) => {
        const got = new Set(lists[i].filter((r) => ours.has(r.id)).map((r) => r.id));
        listed += got.size;
        for (const reward of rewards) {
          const expected = isEligible(reward, standing, NOW);
          if (got.has(reward.id) !== expected) disagreements.push({ standing, reward, sql: got.has(reward.id), list: expected });
        }
      });
      expect(disagreements.slice(0, 5)).toEqual([]);
      // The matrix is not trivial: some of it is listed, most of it is not.
      expect(listed).toBeGreaterThan(100);
      expect(listed).toBeLessThan((rewards.length * standings.length) / 4);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
      await source.destroy();
    }
  });
});

describe("eligibleRewards and redeemReward agree at every edge", () => {
  const codeOf = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => (r.errors?.[0]?.extensions?.code as string) ?? "OK";

  const isListed = async (memberId: string, rewardId: string) => {
    return (await eligibleRewardIds(memberId)).includes(rewardId); // every page: the shared catalog holds other files' rewards
  };

  /** Listed iff redeeming succeeds, and the refusal is `expected`. Returns the redemption when it succeeded. */
  async function agree(memberId: string, rewardId: string, expected: "OK" | "NOT_ELIGIBLE" | "OUT_OF_STOCK" | "INSUFFICIENT_POINTS") {
    const listed = await isListed(memberId, rewardId);
    const result = await gql(REDEEM, { input: { memberId, rewardId, idempotencyKey: unique("key") } });
    expect({ listed, code: codeOf(result) }).toEqual({ listed: expected === "OK", code: expected });
    return result.data?.redeemReward as { id: string } | undefined;
  }

  /** A member with exactly `points` available (1 point per unit, no return window), and their partner. */
  async function memberWith(points: number, pointsPerUnit = 1) {
    const partner = await registerPartner({ pointsPerUnit });
    const member = await enrollMember();
    await recordPurchase(partner, member.id, (points * 100) / pointsPerUnit);
    return { partner, member };
  }

  it("active", async () => {
    const { partner, member } = await memberWith(1_000);
    await agree(member.id, (await createReward(partner.id, { costPoints: 100, active: false })).id, "NOT_ELIGIBLE");
    await agree(member.id, (await createReward(partner.id, { costPoints: 100, active: true })).id, "OK");
  });

  it("validFrom and validUntil, as now crosses them", async () => {
    const { partner, member } = await memberWith(1_000);
    const edge = Date.now() + 2_500;
    const notYet = await createReward(partner.id, { costPoints: 100, validFrom: new Date(edge).toISOString() });
    const until = await createReward(partner.id, { costPoints: 100, validUntil: new Date(edge).toISOString() });
    await agree(member.id, notYet.id, "NOT_ELIGIBLE");
    await agree(member.id, until.id, "OK");
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, edge - Date.now()) + 100));
    await agree(member.id, notYet.id, "OK");
    await agree(member.id, until.id, "NOT_ELIGIBLE");
  });

  it("stock: 0, 1 (then 0), unlimited", async () => {
    const { partner, member } = await memberWith(1_000);
    await agree(member.id, (await createReward(partner.id, { costPoints: 100, stock: 0 })).id, "OUT_OF_STOCK");
    const last = await createReward(partner.id, { costPoints: 100, stock: 1 });
    await agree(member.id, last.id, "OK");
    await agree(member.id, last.id, "OUT_OF_STOCK");
    await agree(member.id, (await createReward(partner.id, { costPoints: 100, stock: null })).id, "OK");
  });

  it("minimumTier: below, at and above the member's tier", async () => {
    // 5,000 points: SILVER (its threshold), at 10 points per unit.
    const { partner, member } = await memberWith(5_000, 10);
    await agree(member.id, (await createReward(partner.id, { costPoints: 100, minimumTier: "GOLD" })).id, "NOT_ELIGIBLE"); // above the member
    await agree(member.id, (await createReward(partner.id, { costPoints: 100, minimumTier: "SILVER" })).id, "OK"); // at
    await agree(member.id, (await createReward(partner.id, { costPoints: 100, minimumTier: "BASE" })).id, "OK"); // below
    const base = await memberWith(4_999, 1);
    await agree(base.member.id, (await createReward(base.partner.id, { costPoints: 100, minimumTier: "SILVER" })).id, "NOT_ELIGIBLE");
  });

  it("costPoints: equal to the available points, then one more", async () => {
    const { partner, member } = await memberWith(500);
    await agree(member.id, (await createReward(partner.id, { costPoints: 501 })).id, "INSUFFICIENT_POINTS");
    await agree(member.id, (await createReward(partner.id, { costPoints: 500 })).id, "OK");
  });

  it("maxPerMember: one below the limit, reached, and freed again by a cancellation", async () => {
    const { partner, member } = await memberWith(1_000);
    const reward = await createReward(partner.id, { costPoints: 10, maxPerMember: 2 });
    await agree(member.id, reward.id, "OK");
    const second = await agree(member.id, reward.id, "OK"); // one below the limit
    await agree(member.id, reward.id, "NOT_ELIGIBLE"); // reached: no longer listed
    await ok(CANCEL, { id: second!.id });
    await agree(member.id, reward.id, "OK"); // a cancelled redemption does not count
    // Another member is not limited by this one's redemptions.
    const other = await enrollMember();
    await recordPurchase(partner, other.id, 10_000);
    await agree(other.id, reward.id, "OK");
  });

  it("when several conditions fail, the first in the documented order wins", async () => {
    const { partner, member } = await memberWith(500);
    // inactive, out of stock, tier too low, too dear: the inactive reward's NOT_ELIGIBLE.
    await agree(member.id, (await createReward(partner.id, { active: false, stock: 0, minimumTier: "GOLD", costPoints: 501 })).id, "NOT_ELIGIBLE");
    // out of stock, tier too low, too dear: OUT_OF_STOCK.
    await agree(member.id, (await createReward(partner.id, { stock: 0, minimumTier: "GOLD", costPoints: 501 })).id, "OUT_OF_STOCK");
    // tier too low and too dear: NOT_ELIGIBLE.
    await agree(member.id, (await createReward(partner.id, { minimumTier: "GOLD", costPoints: 501 })).id, "NOT_ELIGIBLE");
    // limit reached and now too dear: NOT_ELIGIBLE (the limit comes before the points).
    const once = await createReward(partner.id, { costPoints: 300, maxPerMember: 1 });
    await agree(member.id, once.id, "OK"); // 200 points left
    await agree(member.id, once.id, "NOT_ELIGIBLE");
  });
});
