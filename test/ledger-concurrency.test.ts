import { createReward, enrollMember, headline, recordPurchase, registerPartner } from "./support/fixtures";
import { fails, gql, ok, unique } from "./support/gateway";
import { expectLedgerConsistent } from "./support/ledger";

const RECORD = `mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { id points } }`;
const REDEEM = `mutation($input: RedeemRewardInput!) { redeemReward(input: $input) { id status } }`;
const TRANSFER = `mutation($input: TransferPointsInput!) { transferPoints(input: $input) { id kind points } }`;

const codeOf = (result: { errors?: { extensions?: Record<string, unknown> }[] }) => result.errors?.[0]?.extensions?.code ?? "OK";
const count = (codes: unknown[]) => codes.reduce<Record<string, number>>((acc, code) => ({ ...acc, [String(code)]: (acc[String(code)] ?? 0) + 1 }), {});

/** A member who can afford exactly `points`. */
async function memberWith(points: number) {
  const partner = await registerPartner({ pointsPerUnit: 1 });
  const member = await enrollMember();
  await recordPurchase(partner, member.id, points * 100);
  return { partner, member };
}

describe("ledger under concurrency (real parallel requests through the gateway)", () => {
  afterEach(() => expectLedgerConsistent());

  it("50 simultaneous copies of one purchase produce one transaction", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const member = await enrollMember();
    const input = { partnerId: partner.id, memberId: member.id, amountMinor: 12_300, currency: "EUR", reference: unique("receipt") };
    const results = await Promise.all(Array.from({ length: 50 }, () => ok(RECORD, { input })));
    expect(new Set(results.map((r) => r.recordPurchase.id)).size).toBe(1);
    expect((await headline(member.id)).balance).toMatchObject({ available: 123, lifetimeEarned: 123 });
  });

  it("50 simultaneous copies of one transfer move the points once", async () => {
    const { member: from } = await memberWith(1_000);
    const to = await enrollMember();
    const input = { fromMemberId: from.id, toMemberId: to.id, points: 300, idempotencyKey: unique("gift") };
    const results = await Promise.all(Array.from({ length: 50 }, () => ok(TRANSFER, { input })));
    expect(new Set(results.map((r) => r.transferPoints.id)).size).toBe(1);
    expect(results[0].transferPoints).toMatchObject({ kind: "TRANSFER_OUT", points: -300 });
    expect((await headline(from.id)).balance.available).toBe(700);
    expect((await headline(to.id)).balance.available).toBe(300);
    await fails(TRANSFER, { input: { ...input, points: 301 } }, "IDEMPOTENCY_CONFLICT");
  });

  it("100 concurrent redemptions against a member who can afford exactly 10: 10 succeed, available ends at 0", async () => {
    const { partner, member } = await memberWith(1_000);
    const reward = await createReward(partner.id, { costPoints: 100, stock: null });
    const results = await Promise.all(
      Array.from({ length: 100 }, () => gql(REDEEM, { input: { memberId: member.id, rewardId: reward.id, idempotencyKey: unique("key") } })),
    );
    expect(count(results.map(codeOf))).toEqual({ OK: 10, INSUFFICIENT_POINTS: 90 });
    expect((await headline(member.id)).balance).toMatchObject({ available: 0, lifetimeRedeemed: 1_000 });
    const { member: after } = await ok(`query($id: ID!) { member(id: $id) { redemptions(first: 100) { status } } }`, { id: member.id });
    expect(after.redemptions.filter((r: { status: string }) => r.status === "COMPLETED")).toHaveLength(10);
  });

  it("100 concurrent transfers against a sender who can afford exactly 10: 10 succeed, nothing created or lost", async () => {
    const { member: from } = await memberWith(1_000);
    const receivers = await Promise.all(Array.from({ length: 5 }, () => enrollMember()));
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        gql(TRANSFER, { input: { fromMemberId: from.id, toMemberId: receivers[i % 5].id, points: 100, idempotencyKey: unique("gift") } }),
      ),
    );
    expect(count(results.map(codeOf))).toEqual({ OK: 10, INSUFFICIENT_POINTS: 90 });
    expect((await headline(from.id)).balance.available).toBe(0);
    const received = await Promise.all(receivers.map(async (r) => (await headline(r.id)).balance.available));
    expect(received.reduce((a, b) => a + b, 0)).toBe(1_000);
  });

  it("redemptions and transfers racing for the same points never overspend", async () => {
    const { partner, member } = await memberWith(1_000);
    const reward = await createReward(partner.id, { costPoints: 100 });
    const friend = await enrollMember();
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        i % 2
          ? gql(REDEEM, { input: { memberId: member.id, rewardId: reward.id, idempotencyKey: unique("key") } })
          : gql(TRANSFER, { input: { fromMemberId: member.id, toMemberId: friend.id, points: 100, idempotencyKey: unique("gift") } }),
      ),
    );
    expect(count(results.map(codeOf))).toEqual({ OK: 10, INSUFFICIENT_POINTS: 50 });
    expect((await headline(member.id)).balance.available).toBe(0);
  });
});
