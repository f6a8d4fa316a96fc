import { createReward, enrollMember, recordPurchase, redeem, registerPartner } from "./support/fixtures";
import { asMember, ok, unique } from "./support/gateway";
import { expectLedgerConsistent, ledgerTool, travel } from "./support/ledger";

const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();
const BALANCE = `query($id: ID!) { member(id: $id) { balance { available pending } activity(first: 20) { edges { node { kind points } } } } }`;
const REVERSE = `mutation($input: ReversePurchaseInput!) { reversePurchase(input: $input) { points } }`;
const read = async (id: string) => {
  const { member } = await ok(BALANCE, { id });
  return {
    available: member.balance.available as number,
    pending: member.balance.pending as number,
    expired: member.activity.edges.filter((e: { node: { kind: string } }) => e.node.kind === "EXPIRY").map((e: { node: { points: number } }) => e.node.points),
  };
};

/**
 * A debt (a refund of spent points) and expiry (outside review). Points repay a debt in the order they
 * became spendable: when the expiry run caught up late, a debt was repaid from points spendable now
 * while an older lot, spendable earlier, expired in full (the member lost points). And points already
 * past expiry when a debt arose repaid it at the run (expired points came back).
 */
describe("debt repayment across expiry", () => {
  afterEach(async () => {
    await travel(0);
  });
  afterAll(async () => {
    await travel(0);
  });

  it("a debt is repaid by the points that became spendable first, not by later ones, when the run catches up", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const windowed = await registerPartner({ pointsPerUnit: 1, returnWindowDays: 30 });
    const member = await enrollMember();
    const x = await recordPurchase(partner, member.id, 100_000); // X: 1,000 spendable
    await redeem(member.id, (await createReward(partner.id, { costPoints: 1_000 })).id); // spends X
    await recordPurchase(windowed, member.id, 100_000); // A: 1,000 pending for 30 days, expiring 24 months on
    await ok(REVERSE, { input: { partnerId: partner.id, reference: x.reference, amountMinor: 100_000 } }); // owes 1,000; A untouched
    expect(await read(member.id)).toMatchObject({ available: -1_000, pending: 1_000 });

    await travel(720); // A has been spendable for ~690 days: it repaid the debt (reads show it)
    expect(await read(member.id)).toMatchObject({ available: 0, pending: 0 });
    await recordPurchase(windowed, member.id, 100_000); // B: 1,000 pending, spendable after A's expiry
    expect(await read(member.id)).toMatchObject({ available: 0, pending: 1_000 });

    const now = await travel(760); // A past expiry, B spendable; the run catches up
    expect((await ledgerTool("expire", ["--now", now.toISOString()])).code).toBe(0);
    // A repaid the 1,000 when it became spendable (nothing of it left to expire); B is the member's.
    expect(await read(member.id)).toEqual({ available: 1_000, pending: 0, expired: [] });
    await expectLedgerConsistent();
  });

  it("points that had expired before a refund created a debt do not repay it (README: points past expiry are never available)", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const member = await enrollMember();
    await recordPurchase(partner, member.id, 100_000, { occurredAt: daysAgo(300) }); // A: 1,000, expires in ~430 days
    await travel(440); // A has expired; no expiry run yet
    const b = await recordPurchase(partner, member.id, 100_000); // B: 1,000 spendable
    await redeem(member.id, (await createReward(partner.id, { costPoints: 1_000 })).id); // spends B (A is expired)
    await ok(REVERSE, { input: { partnerId: partner.id, reference: b.reference, amountMinor: 100_000 } }); // B's points were spent: owes 1,000
    expect(await read(member.id)).toMatchObject({ available: -1_000, pending: 0 });

    const now = await travel(441);
    expect((await ledgerTool("expire", ["--now", now.toISOString()])).code).toBe(0);
    // A expired before the debt existed: it expires (1,000 to breakage) and the member still owes 1,000.
    expect(await read(member.id)).toEqual({ available: -1_000, pending: 0, expired: [-1_000] });
    await expectLedgerConsistent();
  });

  it("a purchase's own points repay only what points spendable before them left (an older lot past expiry, the run not yet there)", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const windowed = await registerPartner({ pointsPerUnit: 1, returnWindowDays: 30 });
    const member = await enrollMember();
    const x = await recordPurchase(partner, member.id, 100_000); // X: 1,000 spendable
    await redeem(member.id, (await createReward(partner.id, { costPoints: 1_000 })).id); // spends X
    await recordPurchase(windowed, member.id, 100_000); // A: 1,000 pending for 30 days, expiring 24 months on
    await ok(REVERSE, { input: { partnerId: partner.id, reference: x.reference, amountMinor: 100_000 } }); // owes 1,000

    await travel(760); // A became spendable on day 30 (repaying the debt then) and is past expiry; no run yet
    await recordPurchase(partner, member.id, 100_000); // P: 1,000 spendable at once
    const now = await travel(760);
    expect((await ledgerTool("expire", ["--now", now.toISOString()])).code).toBe(0);
    // A repaid the 1,000 (nothing of it left to expire); P is the member's. P repaid it before: A expired in full, the member had 0.
    expect(await read(member.id)).toEqual({ available: 1_000, pending: 0, expired: [] });
    await expectLedgerConsistent();
  });

  it("a referrer's bonus, too, repays only what the referrer's points spendable before it left", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const windowed = await registerPartner({ pointsPerUnit: 1, returnWindowDays: 30 });
    const referrer = await enrollMember();
    const code = (await ok(`query($id: ID!) { member(id: $id) { referralCode } }`, { id: referrer.id }, asMember(referrer.id))).member.referralCode;
    const ENROLL = `mutation($input: EnrollMemberInput!) { enrollMember(input: $input) { id } }`;
    const friend = (await ok(ENROLL, { input: { email: `${unique("friend")}@example.com`, displayName: "Friend", referralCode: code } })).enrollMember;
    const x = await recordPurchase(partner, referrer.id, 50_000); // X: 500 spendable
    await redeem(referrer.id, (await createReward(partner.id, { costPoints: 500 })).id); // spends X
    await recordPurchase(windowed, referrer.id, 50_000); // A: 500 pending for 30 days
    await ok(REVERSE, { input: { partnerId: partner.id, reference: x.reference, amountMinor: 50_000 } }); // owes 500

    await travel(760); // A repaid the debt on day 30 and is past expiry; no run yet
    await recordPurchase(partner, friend.id, 10_000); // the friend's first purchase: 500 to the referrer, spendable at once
    const now = await travel(760);
    expect((await ledgerTool("expire", ["--now", now.toISOString()])).code).toBe(0);
    expect(await read(referrer.id)).toEqual({ available: 500, pending: 0, expired: [] });
    await expectLedgerConsistent();
  });
});
