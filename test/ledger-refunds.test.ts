import { Client } from "pg";
import { withDatabase } from "../shared/src/config";
import { createReward, enrollMember, headline, recordPurchase, redeem, registerPartner } from "./support/fixtures";
import { fails, ok, unique } from "./support/gateway";
import { expectLedgerConsistent } from "./support/ledger";

const REVERSE = `mutation($input: ReversePurchaseInput!) { reversePurchase(input: $input) { id kind points reference } }`;
const TRANSFER = `mutation($input: TransferPointsInput!) { transferPoints(input: $input) { id kind points } }`;
const REDEEM = `mutation($input: RedeemRewardInput!) { redeemReward(input: $input) { id } }`;
const MISSING = "00000000-0000-4000-8000-000000000000";

describe("reversals", () => {
  afterEach(() => expectLedgerConsistent());

  it("a full refund claws back every point and recomputes the tier", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const member = await enrollMember();
    const purchase = await recordPurchase(partner, member.id, 600_000); // 6,000: SILVER
    expect((await headline(member.id)).tier).toBe("SILVER");
    const { reversePurchase } = await ok(REVERSE, { input: { partnerId: partner.id, reference: purchase.reference, amountMinor: 600_000 } });
    expect(reversePurchase).toMatchObject({ kind: "REVERSAL", points: -6_000, reference: purchase.reference });
    const after = await headline(member.id);
    expect(after.tier).toBe("BASE");
    expect(after.balance).toMatchObject({ available: 0, lifetimeEarned: 0, byPartner: [{ partner: { id: partner.id }, earned: 0, redeemed: 0 }] });
    expect(after.tierProgress.qualifyingPoints).toBe(0);
  });

  it("partial refunds claw back in proportion, never more than was earned in total", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const member = await enrollMember();
    const purchase = await recordPurchase(partner, member.id, 1_000); // 10 points
    const refund = (amountMinor: number, refundReference = unique("refund")) =>
      ok(REVERSE, { input: { partnerId: partner.id, reference: purchase.reference, amountMinor, refundReference } });
    const clawed = [];
    for (const amount of [333, 333]) clawed.push((await refund(amount)).reversePurchase.points);
    const replay = await ok(REVERSE, { input: { partnerId: partner.id, reference: purchase.reference, amountMinor: 333, refundReference: "same" } });
    expect((await ok(REVERSE, { input: { partnerId: partner.id, reference: purchase.reference, amountMinor: 333, refundReference: "same" } })).reversePurchase.id).toBe(replay.reversePurchase.id);
    clawed.push(replay.reversePurchase.points);
    await fails(REVERSE, { input: { partnerId: partner.id, reference: purchase.reference, amountMinor: 2, refundReference: unique("refund") } }, "BAD_USER_INPUT");
    clawed.push((await refund(1)).reversePurchase.points);
    expect(clawed).toEqual([-3, -3, -3, -1]); // floor(10 × 333/1000)=3, floor(10 × 666/1000)=6, …, 10 in total
    expect((await headline(member.id)).balance).toMatchObject({ available: 0, lifetimeEarned: 0 });
    await fails(REVERSE, { input: { partnerId: partner.id, reference: purchase.reference, amountMinor: 1, refundReference: unique("refund") } }, "BAD_USER_INPUT");
  });

  it("a refund of points already spent leaves a debt that blocks redemptions until new points repay it", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const member = await enrollMember();
    const purchase = await recordPurchase(partner, member.id, 100_000); // 1,000
    const reward = await createReward(partner.id, { costPoints: 800 });
    await redeem(member.id, reward.id);
    await ok(REVERSE, { input: { partnerId: partner.id, reference: purchase.reference, amountMinor: 100_000 } });
    expect((await headline(member.id)).balance.available).toBe(-800);
    const cheap = await createReward(partner.id, { costPoints: 1 });
    await fails(REDEEM, { input: { memberId: member.id, rewardId: cheap.id, idempotencyKey: unique("key") } }, "INSUFFICIENT_POINTS");
    await recordPurchase(partner, member.id, 100_000); // 1,000 more: 800 repay the debt
    expect((await headline(member.id)).balance.available).toBe(200);
    await redeem(member.id, cheap.id);
  });

  it("refuses refunds of unknown purchases and bad amounts", async () => {
    const partner = await registerPartner();
    const member = await enrollMember();
    const purchase = await recordPurchase(partner, member.id, 1_000);
    await fails(REVERSE, { input: { partnerId: partner.id, reference: "no-such-receipt", amountMinor: 100 } }, "NOT_FOUND");
    await fails(REVERSE, { input: { partnerId: MISSING, reference: purchase.reference, amountMinor: 100 } }, "NOT_FOUND");
    await fails(REVERSE, { input: { partnerId: partner.id, reference: purchase.reference, amountMinor: 1_001 } }, "BAD_USER_INPUT");
    await fails(REVERSE, { input: { partnerId: partner.id, reference: purchase.reference, amountMinor: 0 } }, "BAD_USER_INPUT");
    expect((await headline(member.id)).balance.available).toBe(10);
  });
});

describe("transfers", () => {
  afterEach(() => expectLedgerConsistent());

  it("moves available points, which do not qualify for the receiver's tier", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const [from, to] = [await enrollMember(), await enrollMember()];
    await recordPurchase(partner, from.id, 800_000); // 8,000: SILVER
    await ok(TRANSFER, { input: { fromMemberId: from.id, toMemberId: to.id, points: 6_000, idempotencyKey: unique("gift") } });
    const sender = await headline(from.id);
    const receiver = await headline(to.id);
    expect(sender).toMatchObject({ tier: "SILVER", balance: { available: 2_000 } }); // giving points away keeps the tier
    expect(receiver).toMatchObject({ tier: "BASE", balance: { available: 6_000, lifetimeEarned: 0 }, tierProgress: { qualifyingPoints: 0 } });
  });

  it("refuses bad transfers and writes nothing", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const [from, to] = [await enrollMember(), await enrollMember()];
    await recordPurchase(partner, from.id, 2_000_000); // 20,000
    const input = (overrides: Record<string, unknown>) => ({ input: { fromMemberId: from.id, toMemberId: to.id, points: 10, idempotencyKey: unique("gift"), ...overrides } });
    await fails(TRANSFER, input({ toMemberId: from.id }), "BAD_USER_INPUT");
    await fails(TRANSFER, input({ points: 0 }), "BAD_USER_INPUT");
    await fails(TRANSFER, input({ points: -5 }), "BAD_USER_INPUT");
    await fails(TRANSFER, input({ toMemberId: MISSING }), "NOT_FOUND");
    await fails(TRANSFER, input({ points: 20_001 }), "INSUFFICIENT_POINTS");
    await ok(TRANSFER, input({ points: 9_000 }));
    await fails(TRANSFER, input({ points: 1_001 }), "LIMIT_EXCEEDED"); // 10,000 a day by default
    await ok(TRANSFER, input({ points: 1_000 }));
    expect((await headline(from.id)).balance.available).toBe(10_000);
    expect((await headline(to.id)).balance.available).toBe(10_000);
  });
});

describe("activity and settlement", () => {
  afterEach(() => expectLedgerConsistent());

  it("pages through every kind of entry, newest first", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const [member, friend] = [await enrollMember(), await enrollMember()];
    const purchase = await recordPurchase(partner, member.id, 100_000);
    await redeem(member.id, (await createReward(partner.id, { costPoints: 100 })).id);
    await ok(TRANSFER, { input: { fromMemberId: member.id, toMemberId: friend.id, points: 50, idempotencyKey: unique("gift") } });
    await ok(REVERSE, { input: { partnerId: partner.id, reference: purchase.reference, amountMinor: 10_000 } });
    const ACTIVITY = `query($id: ID!, $after: String) { member(id: $id) { activity(first: 3, after: $after) { edges { cursor node { kind points } } pageInfo { hasNextPage endCursor } } } }`;
    const first = (await ok(ACTIVITY, { id: member.id })).member.activity;
    expect(first.edges.map((e: any) => [e.node.kind, e.node.points])).toEqual([["REVERSAL", -100], ["TRANSFER_OUT", -50], ["REDEEM", -100]]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await ok(ACTIVITY, { id: member.id, after: first.pageInfo.endCursor })).member.activity;
    expect(second.edges.map((e: any) => [e.node.kind, e.node.points])).toEqual([["EARN", 1_000]]);
    expect(second.pageInfo).toEqual({ hasNextPage: false, endCursor: second.edges[0].cursor });
    await fails(`query($id: ID!) { member(id: $id) { activity(after: "garbage") { edges { cursor } } } }`, { id: member.id }, "BAD_USER_INPUT");
  });

  it("reports a partner's settlement for a period", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const member = await enrollMember();
    const from = new Date(Date.now() - 60_000).toISOString();
    const purchase = await recordPurchase(partner, member.id, 100_000); // 1,000 issued
    await ok(REVERSE, { input: { partnerId: partner.id, reference: purchase.reference, amountMinor: 20_000 } }); // 200 reversed
    await redeem(member.id, (await createReward(partner.id, { costPoints: 300 })).id);
    const to = new Date(Date.now() + 60_000).toISOString();
    const SETTLEMENT = `query($id: ID!, $from: DateTimeISO!, $to: DateTimeISO!) { partner(id: $id) { settlement(from: $from, to: $to) { pointsIssued pointsReversed pointsRedeemed pointsExpired outstandingLiability } } }`;
    const { partner: found } = await ok(SETTLEMENT, { id: partner.id, from, to });
    expect(found.settlement).toEqual({ pointsIssued: 1_000, pointsReversed: 200, pointsRedeemed: 300, pointsExpired: 0, outstandingLiability: 500 });
    await fails(SETTLEMENT, { id: partner.id, from: to, to: from }, "BAD_USER_INPUT");
  });
});

describe("append-only history", () => {
  it("the database refuses to change or delete ledger history", async () => {
    await recordPurchase(await registerPartner(), (await enrollMember()).id, 1_000);
    const client = new Client({ connectionString: withDatabase(process.env.TEST_DATABASE_URL!, `coalition_ledger${process.env.TEST_DATABASE_NAME_SUFFIX}`) });
    await client.connect();
    try {
      await expect(client.query(`UPDATE postings SET amount = amount + 1`)).rejects.toThrow(/append-only/);
      await expect(client.query(`DELETE FROM transactions`)).rejects.toThrow(/append-only/);
      await expect(client.query(`TRUNCATE postings CASCADE`)).rejects.toThrow(/append-only/);
    } finally {
      await client.end();
    }
  });
});
