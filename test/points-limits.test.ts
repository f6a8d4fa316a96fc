import { Client } from "pg";
import { withDatabase } from "../shared/src/config";
import { MEMBER_POINTS_CAP, requireWithinCap, safeIntegerFromSql, withinCap } from "../subgraphs/ledger/src/limits";
import { basePointsForPurchase, shareOf } from "../subgraphs/ledger/src/rules";

const pointsForPurchase = (amountMinor: number, pointsPerUnit: number) => withinCap(() => basePointsForPurchase(amountMinor, pointsPerUnit));
import { createReward, enrollMember, headline, registerPartner } from "./support/fixtures";
import { fails, gql, ok, unique } from "./support/gateway";
import { expectLedgerConsistent } from "./support/ledger";
import { apiSchema } from "./support/selected-ids";

const RECORD = `mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { id points } }`;
const TRANSFER = `mutation($input: TransferPointsInput!) { transferPoints(input: $input) { id points } }`;
const REDEEM = `mutation($input: RedeemRewardInput!) { redeemReward(input: $input) { id status } }`;
const SETTLEMENT = `query($id: ID!, $from: DateTimeISO!, $to: DateTimeISO!) {
  partner(id: $id) { settlement(from: $from, to: $to) { pointsIssued pointsReversed pointsRedeemed pointsExpired outstandingLiability } } }`;

const codeOf = (result: { errors?: { extensions?: Record<string, unknown> }[] }) => result.errors?.[0]?.extensions?.code ?? "OK";
const limitError = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as { extensions: Record<string, unknown> }).extensions;
  }
  throw new Error("expected LIMIT_EXCEEDED");
};

describe("the member points cap, by hand", () => {
  it("is GraphQL Int's maximum", () => {
    expect(MEMBER_POINTS_CAP).toBe(2 ** 31 - 1);
  });

  it("lets a figure reach the cap exactly and refuses one point more, naming the limit", () => {
    expect(() => requireWithinCap("lifetimeEarned", 2_147_483_000, 647)).not.toThrow(); // 2,147,483,647
    expect(limitError(() => requireWithinCap("lifetimeEarned", 2_147_483_000, 648))).toEqual({
      code: "LIMIT_EXCEEDED", limit: 2_147_483_647, figure: "lifetimeEarned", wouldBe: 2_147_483_648,
    });
    // Sums past 2^53 stay exact (BigInt): no rounding lets a huge addition slip under.
    expect(limitError(() => requireWithinCap("balance", 2 ** 53, 1)).wouldBe).toBe(2 ** 53 + 1);
  });

  it("computes one purchase's points exactly and refuses them past the cap", () => {
    expect(pointsForPurchase(100_000_000, 1_000)).toBe(1_000_000_000); // today's largest: 1,000,000.00 × 1,000
    expect(pointsForPurchase(214_748_364_700, 1)).toBe(2_147_483_647); // 2,147,483,647.00 × 1
    expect(limitError(() => pointsForPurchase(214_748_364_800, 1))).toMatchObject({ code: "LIMIT_EXCEEDED", figure: "points", wouldBe: 2_147_483_648 });
    expect(limitError(() => pointsForPurchase(Number.MAX_SAFE_INTEGER, 1_000)).figure).toBe("points");
  });

  it("computes refund shares exactly where a double's product would floor a point off", () => {
    // 2,147,483,647 × 99,999,024 = 214,748,311,282,172,128 is not a double: the float floor gives 2,147,483,646.
    expect(Math.floor((2_147_483_647 * 99_999_024) / 99_999_024)).toBe(2_147_483_646);
    expect(shareOf(2_147_483_647, 99_999_024, 99_999_024)).toBe(2_147_483_647);
    expect(shareOf(2_000_000_000, 1, 3)).toBe(666_666_666);
  });

  it("reads totals from Postgres exactly up to 2^53 − 1 and refuses beyond", () => {
    expect(safeIntegerFromSql("3147483640")).toBe(3_147_483_640);
    expect(safeIntegerFromSql(null)).toBe(0);
    expect(safeIntegerFromSql("9007199254740991")).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => safeIntegerFromSql("9007199254740992")).toThrow(/2\^53/);
  });
});

describe("the member points cap, through the gateway", () => {
  afterEach(() => expectLedgerConsistent());

  /** Two members at a partner earning 1,000 points per 1.00 (the highest rate): one at 1,000,000,000 points, one near the cap. */
  async function nearTheCap() {
    const partner = await registerPartner({ pointsPerUnit: 1_000 });
    const [near, other] = [await enrollMember(), await enrollMember()];
    const purchase = (memberId: string, amountMinor: number) => ({
      input: { partnerId: partner.id, memberId, amountMinor, currency: partner.currency, reference: unique("receipt") },
    });
    // 1,000,000.00 at BASE: 1,000,000,000 points, which makes the member PLATINUM (×2) from then on.
    expect((await ok(RECORD, purchase(near.id, 100_000_000))).recordPurchase.points).toBe(1_000_000_000);
    expect((await ok(RECORD, purchase(other.id, 100_000_000))).recordPurchase.points).toBe(1_000_000_000);
    // 573,641.82 × 1,000 × 2 = 1,147,283,640: the member is 200,007 points below the cap.
    expect((await ok(RECORD, purchase(near.id, 57_364_182))).recordPurchase.points).toBe(1_147_283_640);
    return { partner, near, other, purchase };
  }

  it("refuses the purchase that would pass the cap, even 50 at once, and every read still works", async () => {
    const { partner, near, purchase } = await nearTheCap();
    // 50 purchases of 20,000 points at once (10.00 × 1,000 × 2): room for 10 of them (200,007 / 20,000).
    const inputs = Array.from({ length: 50 }, () => purchase(near.id, 1_000));
    const results = await Promise.all(inputs.map((input) => gql(RECORD, input)));
    const codes = results.map(codeOf);
    expect(codes.filter((c) => c === "OK")).toHaveLength(10);
    expect(codes.filter((c) => c === "LIMIT_EXCEEDED")).toHaveLength(40);
    const refused = results.find((r) => codeOf(r) === "LIMIT_EXCEEDED")!.errors![0];
    expect(refused.message).toMatch(/lifetime earned points to 2,147,503,640, above the limit of 2,147,483,647/);

    const member = await headline(near.id);
    expect(member.balance).toMatchObject({ available: 2_147_483_640, lifetimeEarned: 2_147_483_640, lifetimeRedeemed: 0 });
    expect(member.balance.byPartner).toEqual([{ partner: { id: partner.id, slug: partner.slug }, earned: 2_147_483_640, redeemed: 0 }]);
    expect(member.tier).toBe("PLATINUM");
    expect(member.tierProgress.qualifyingPoints).toBe(1_573_741_820); // base points: 1,000,000,000 + 573,641,820 + 10 × 10,000
    const { member: activity } = await ok(`query($id: ID!) { member(id: $id) { activity(first: 3) { edges { node { points } } } } }`, { id: near.id });
    expect(activity.activity.edges[0].node.points).toBe(20_000);
    // A retry of a recorded purchase is still its entry, however full the member is.
    const first = codes.indexOf("OK");
    expect((await ok(RECORD, inputs[first])).recordPurchase).toEqual(results[first].data!.recordPurchase);
  });

  it("caps a transfer by the receiver's balance, and reads a partner's settlement above 2^31 as SafeInt", async () => {
    const from = new Date(Date.now() - 60_000).toISOString();
    const { partner, near, other, purchase } = await nearTheCap();
    // 100.00 × 1,000 × 2 = 200,000: 7 points below the cap (transfers are limited to 10,000 a day).
    await ok(RECORD, purchase(near.id, 10_000));
    const transfer = (points: number) => ({ input: { fromMemberId: other.id, toMemberId: near.id, points, idempotencyKey: unique("gift") } });
    const error = await fails(TRANSFER, transfer(8), "LIMIT_EXCEEDED");
    // The sender learns the limit, never the receiver's balance (nor what it would reach).
    expect(error.message).toMatch(/their balance would pass the limit of 2,147,483,647/);
    expect(JSON.stringify(error)).not.toMatch(/2,?147,?483,?64[08]/);
    await ok(TRANSFER, transfer(7)); // to the cap exactly
    expect((await headline(near.id)).balance.available).toBe(2_147_483_647);
    await fails(RECORD, { input: { partnerId: partner.id, memberId: near.id, amountMinor: 1, currency: partner.currency, reference: unique("r") } }, "LIMIT_EXCEEDED");

    const to = new Date(Date.now() + 60_000).toISOString();
    const { partner: found } = await ok(SETTLEMENT, { id: partner.id, from, to });
    // 1,000,000,000 × 2 + 1,147,283,640 + 200,000 issued: past Int's 2,147,483,647.
    expect(found.settlement).toEqual({ pointsIssued: 3_147_483_640, pointsReversed: 0, pointsRedeemed: 0, pointsExpired: 0, outstandingLiability: 3_147_483_640 });
  });

  it("caps lifetime redeemed points when a redemption's hold is placed", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const member = await enrollMember();
    await ok(RECORD, { input: { partnerId: partner.id, memberId: member.id, amountMinor: 100_000, currency: partner.currency, reference: unique("r") } });
    const reward = await createReward(partner.id, { costPoints: 100 });
    await ok(REDEEM, { input: { memberId: member.id, rewardId: reward.id, idempotencyKey: unique("key") } });
    // Years of redemptions, set up straight in the ledger: 50 points below the cap. Put back before the consistency check.
    const padding = MEMBER_POINTS_CAP - 50 - 100;
    await ledgerSql(`UPDATE member_partner_points SET redeemed = redeemed + $2 WHERE member_id = $1`, [member.id, padding]);
    try {
      const error = await fails(REDEEM, { input: { memberId: member.id, rewardId: reward.id, idempotencyKey: unique("key") } }, "LIMIT_EXCEEDED");
      expect(error.message).toMatch(/lifetime redeemed points to 2,147,483,697/);
      // And redeemReward's description names it among its errors (it listed every other code but this one).
      expect(apiSchema().getMutationType()!.getFields().redeemReward.description).toMatch(/LIMIT_EXCEEDED \(the member's lifetime redeemed points/);
      expect((await headline(member.id)).balance).toMatchObject({ available: 900, held: 0, lifetimeRedeemed: 2_147_483_597 });
    } finally {
      await ledgerSql(`UPDATE member_partner_points SET redeemed = redeemed - $2 WHERE member_id = $1`, [member.id, padding]);
    }
  });

  it("refuses an amount past the input limit as bad input, before any arithmetic", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1_000 });
    const member = await enrollMember();
    const input = (amountMinor: number) => ({ input: { partnerId: partner.id, memberId: member.id, amountMinor, currency: partner.currency, reference: unique("r") } });
    expect((await fails(RECORD, input(100_000_001), "BAD_USER_INPUT")).extensions).toMatchObject({ field: "amountMinor" });
    expect(codeOf(await gql(RECORD, input(2 ** 31)))).toBe("BAD_USER_INPUT"); // not even an Int
  });
});

async function ledgerSql(sql: string, params: unknown[]): Promise<void> {
  const client = new Client({ connectionString: withDatabase(process.env.TEST_DATABASE_URL!, `coalition_ledger${process.env.TEST_DATABASE_NAME_SUFFIX}`) });
  await client.connect();
  try {
    await client.query(sql, params);
  } finally {
    await client.end();
  }
}
