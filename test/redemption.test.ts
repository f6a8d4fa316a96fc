import { createReward, enrollMember, headline, recordPurchase, registerPartner } from "./support/fixtures";
import { gql, ok, unique } from "./support/gateway";
import { expectLedgerConsistent } from "./support/ledger";

const REDEEM = `mutation($input: RedeemRewardInput!) { redeemReward(input: $input) { id status } }`;
const codeOf = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => r.errors?.[0]?.extensions?.code ?? "OK";

describe("redemption under races", () => {
  afterEach(() => expectLedgerConsistent());

  it("100 parallel redemptions of a reward with stock 5: exactly 5 complete, stock ends at 0, 5 captures", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const reward = await createReward(partner.id, { costPoints: 100, stock: 5 });
    const members = await Promise.all(Array.from({ length: 100 }, () => enrollMember()));
    await Promise.all(members.map((m) => recordPurchase(partner, m.id, 10_000)));
    const results = await Promise.all(members.map((m) => gql(REDEEM, { input: { memberId: m.id, rewardId: reward.id, idempotencyKey: unique("key") } })));
    const codes = results.map(codeOf);
    expect(codes.filter((c) => c === "OK")).toHaveLength(5);
    expect(codes.filter((c) => c !== "OK").every((c) => c === "OUT_OF_STOCK")).toBe(true);
    const { reward: after } = await ok(`query($id: ID!) { reward(id: $id) { stock } }`, { id: reward.id });
    expect(after.stock).toBe(0);
    const spent = await Promise.all(members.map(async (m) => (await headline(m.id)).balance.lifetimeRedeemed));
    expect(spent.filter((points) => points === 100)).toHaveLength(5); // one capture per completed redemption
    expect(spent.filter((points) => points !== 0 && points !== 100)).toEqual([]);
  });

  it("a member who can afford 3 sending 10 parallel redemptions gets exactly 3", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const member = await enrollMember();
    await recordPurchase(partner, member.id, 30_000); // 300 points
    const reward = await createReward(partner.id, { costPoints: 100, stock: 50 });
    const results = await Promise.all(Array.from({ length: 10 }, () => gql(REDEEM, { input: { memberId: member.id, rewardId: reward.id, idempotencyKey: unique("key") } })));
    expect(results.map(codeOf).filter((c) => c === "OK")).toHaveLength(3);
    expect((await headline(member.id)).balance).toMatchObject({ available: 0, held: 0, lifetimeRedeemed: 300 });
    expect((await ok(`query($id: ID!) { reward(id: $id) { stock } }`, { id: reward.id })).reward.stock).toBe(47);
  });

  it("20 parallel requests with one idempotency key make one redemption", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const member = await enrollMember();
    await recordPurchase(partner, member.id, 100_000);
    const reward = await createReward(partner.id, { costPoints: 100, stock: 50 });
    const input = { memberId: member.id, rewardId: reward.id, idempotencyKey: unique("key") };
    const results = await Promise.all(Array.from({ length: 20 }, () => ok(REDEEM, { input })));
    expect(new Set(results.map((r) => r.redeemReward.id)).size).toBe(1);
    expect((await headline(member.id)).balance).toMatchObject({ available: 900, held: 0, lifetimeRedeemed: 100 });
    expect((await ok(`query($id: ID!) { reward(id: $id) { stock } }`, { id: reward.id })).reward.stock).toBe(49);
  });
});
