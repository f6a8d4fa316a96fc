import { createReward, enrollMember, headline, recordPurchase, registerPartner } from "./support/fixtures";
import { asMember, fails, gql, ok, unique } from "./support/gateway";
import { expectCatalogConsistent } from "./support/consistency";
import { expectLedgerConsistent } from "./support/ledger";

const REDEEM = `mutation($input: RedeemRewardInput!) { redeemReward(input: $input) { id status } }`;
const codeOf = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => r.errors?.[0]?.extensions?.code ?? "OK";

afterEach(async () => {
  await expectLedgerConsistent();
  await expectCatalogConsistent();
});

describe("redemption under races", () => {

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

describe("redemption keys belong to the member", () => {
  const setup = async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const [a, b] = await Promise.all([enrollMember(), enrollMember()]);
    await Promise.all([recordPurchase(partner, a.id, 100_000), recordPurchase(partner, b.id, 100_000)]);
    const reward = await createReward(partner.id, { costPoints: 100, stock: 10 });
    return { partner, a, b, reward };
  };

  it("two members using the same key each get their own redemption, and replays return each one's own", async () => {
    const { a, b, reward } = await setup();
    const key = unique("shared-key");
    const first = (await ok(REDEEM, { input: { memberId: a.id, rewardId: reward.id, idempotencyKey: key } }, asMember(a.id))).redeemReward;
    // B learns nothing of A's use of the key, and is not blocked by it.
    const second = (await ok(REDEEM, { input: { memberId: b.id, rewardId: reward.id, idempotencyKey: key } }, asMember(b.id))).redeemReward;
    expect(second).toEqual({ id: expect.any(String), status: "COMPLETED" });
    expect(second.id).not.toBe(first.id);
    expect((await ok(REDEEM, { input: { memberId: a.id, rewardId: reward.id, idempotencyKey: key } }, asMember(a.id))).redeemReward.id).toBe(first.id);
    expect((await ok(REDEEM, { input: { memberId: b.id, rewardId: reward.id, idempotencyKey: key } }, asMember(b.id))).redeemReward.id).toBe(second.id);
    for (const member of [a, b]) expect((await headline(member.id)).balance).toMatchObject({ available: 900, held: 0, lifetimeRedeemed: 100 });
    expect((await ok(`query($id: ID!) { reward(id: $id) { stock } }`, { id: reward.id })).reward.stock).toBe(8);
  });

  it("two members sending one key in parallel: one redemption each", async () => {
    const { a, b, reward } = await setup();
    const key = unique("parallel-key");
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b)).map((m) => ok(REDEEM, { input: { memberId: m.id, rewardId: reward.id, idempotencyKey: key } }, asMember(m.id))),
    );
    expect(new Set(results.map((r) => r.redeemReward.id)).size).toBe(2);
    for (const member of [a, b]) expect((await headline(member.id)).balance).toMatchObject({ available: 900, lifetimeRedeemed: 100 });
  });

  it("one member's key for another reward is IDEMPOTENCY_CONFLICT, naming no one else", async () => {
    const { partner, a, b, reward } = await setup();
    const other = await createReward(partner.id, { costPoints: 50 });
    const key = unique("conflict-key");
    await ok(REDEEM, { input: { memberId: b.id, rewardId: other.id, idempotencyKey: key } }, asMember(b.id));
    await ok(REDEEM, { input: { memberId: a.id, rewardId: reward.id, idempotencyKey: key } }, asMember(a.id));
    const error = await fails(REDEEM, { input: { memberId: a.id, rewardId: other.id, idempotencyKey: key } }, "IDEMPOTENCY_CONFLICT", asMember(a.id));
    expect(error.message).not.toMatch(/member/i);
    expect(error.message).not.toContain(b.id);
  });
});

describe("redemption rules and vouchers", () => {
  const CANCEL = `mutation($id: ID!) { cancelRedemption(id: $id) { id status } }`;
  const USED = `mutation($code: String!) { markVoucherUsed(code: $code) { id status voucherUsedAt } }`;

  it("enforces maxPerMember at redemption time, even for parallel requests", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const member = await enrollMember();
    await recordPurchase(partner, member.id, 100_000);
    const reward = await createReward(partner.id, { costPoints: 10, maxPerMember: 2 });
    const results = await Promise.all(Array.from({ length: 8 }, () => gql(REDEEM, { input: { memberId: member.id, rewardId: reward.id, idempotencyKey: unique("key") } })));
    expect(results.map(codeOf).sort()).toEqual(["NOT_ELIGIBLE", "NOT_ELIGIBLE", "NOT_ELIGIBLE", "NOT_ELIGIBLE", "NOT_ELIGIBLE", "NOT_ELIGIBLE", "OK", "OK"]);
    expect((await headline(member.id)).balance.lifetimeRedeemed).toBe(20);
  });

  it("cancels an unused voucher: points and stock come back, with the points' expiry; twice is harmless", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const member = await enrollMember();
    await recordPurchase(partner, member.id, 100_000);
    const reward = await createReward(partner.id, { costPoints: 400, stock: 3 });
    const { redeemReward } = await ok(REDEEM, { input: { memberId: member.id, rewardId: reward.id, idempotencyKey: unique("key") } });
    expect((await headline(member.id)).balance.available).toBe(600);
    expect((await ok(CANCEL, { id: redeemReward.id })).cancelRedemption.status).toBe("CANCELLED");
    expect((await ok(CANCEL, { id: redeemReward.id })).cancelRedemption.status).toBe("CANCELLED");
    const after = await headline(member.id);
    expect(after.balance).toMatchObject({ available: 1_000, lifetimeRedeemed: 0 });
    expect(after.redemptions[0]).toMatchObject({ id: redeemReward.id, status: "CANCELLED" });
    expect((await ok(`query($id: ID!) { reward(id: $id) { stock } }`, { id: reward.id })).reward.stock).toBe(3);
    const { member: found } = await ok(`query($id: ID!) { member(id: $id) { balance { expiringSoon { points } } activity(first: 1) { edges { node { kind points } } } } }`, { id: member.id });
    expect(found.activity.edges[0].node).toEqual({ kind: "REVERSAL", points: 400 });
  });

  it("a used voucher cannot be cancelled, and a cancelled one cannot be used", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const member = await enrollMember();
    await recordPurchase(partner, member.id, 100_000);
    const reward = await createReward(partner.id, { costPoints: 100 });
    const first = (await ok(`mutation($input: RedeemRewardInput!) { redeemReward(input: $input) { id voucherCode } }`, { input: { memberId: member.id, rewardId: reward.id, idempotencyKey: unique("key") } })).redeemReward;
    const used = (await ok(USED, { code: first.voucherCode })).markVoucherUsed;
    expect(used.voucherUsedAt).toEqual(expect.any(String));
    expect((await ok(USED, { code: first.voucherCode })).markVoucherUsed.voucherUsedAt).toBe(used.voucherUsedAt);
    await fails(CANCEL, { id: first.id }, "CONFLICT");

    const second = (await ok(`mutation($input: RedeemRewardInput!) { redeemReward(input: $input) { id voucherCode } }`, { input: { memberId: member.id, rewardId: reward.id, idempotencyKey: unique("key") } })).redeemReward;
    await ok(CANCEL, { id: second.id });
    await fails(USED, { code: second.voucherCode }, "CONFLICT");
    await fails(USED, { code: "NOPE-NOPE-NOPE" }, "NOT_FOUND");
    await fails(CANCEL, { id: "00000000-0000-4000-8000-000000000000" }, "NOT_FOUND");
    expect((await headline(member.id)).balance).toMatchObject({ available: 900, lifetimeRedeemed: 100 });
  });

  it("vouchers are unguessable: long random codes, all different", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const member = await enrollMember();
    await recordPurchase(partner, member.id, 100_000);
    const reward = await createReward(partner.id, { costPoints: 1 });
    const codes = [];
    for (let i = 0; i < 20; i++) codes.push((await ok(`mutation($input: RedeemRewardInput!) { redeemReward(input: $input) { voucherCode } }`, { input: { memberId: member.id, rewardId: reward.id, idempotencyKey: unique("key") } })).redeemReward.voucherCode);
    expect(new Set(codes).size).toBe(20);
    // Crockford base32 carries 5 bits a character: at least 16 characters is at least 80 bits.
    for (const code of codes) expect(code.replace(/-/g, "")).toMatch(/^[0-9A-HJKMNP-TV-Z]{16,}$/);
  });
});
