import { createReward, enrollMember, recordPurchase, redeem, registerPartner } from "./support/fixtures";
import { ok, unique } from "./support/gateway";
import { expectLedgerConsistent, ledgerTool, travel } from "./support/ledger";
import { dbQuery } from "./support/member-data";

const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();
const available = async (id: string) => (await ok(`query($id: ID!) { member(id: $id) { balance { available } } }`, { id })).member.balance.available as number;
const REVERSE = `mutation($input: ReversePurchaseInput!) { reversePurchase(input: $input) { id points } }`;
const CANCEL = `mutation($id: ID!) { cancelRedemption(id: $id) { id status } }`;

/**
 * A cancelled redemption gives its points back with the expiry they had: those whose expiry passed
 * while they were spent come back expired, so they are not spendable and repay no refund debt
 * (README, Refunds: only points that arrive spendable repay a debt).
 */
describe("a cancelled redemption's points that expired meanwhile", () => {
  afterEach(async () => {
    await travel(0);
  });

  it("repay no debt: only the points still spendable do, and the expired ones go to breakage", async () => {
    const older = await registerPartner({ pointsPerUnit: 1 });
    const newer = await registerPartner({ pointsPerUnit: 1 });
    const member = await enrollMember();
    await recordPurchase(older, member.id, 10_000, { occurredAt: daysAgo(364) }); // 100 points, expire in ~366 days
    const purchase = await recordPurchase(newer, member.id, 20_000); // 200 points, expire in ~730 days
    const reward = await createReward(older.id, { costPoints: 300 });
    const { redeemReward } = await redeem(member.id, reward.id); // takes the 100 older points, then 200 newer ones
    // The newer purchase refunded in full: its points were spent, so they become a debt of 200.
    await ok(REVERSE, { input: { partnerId: newer.id, reference: purchase.reference, amountMinor: 20_000, refundReference: unique("refund") } });
    expect(await available(member.id)).toBe(-200);

    await travel(400); // past the older points' expiry
    expect((await ok(CANCEL, { id: redeemReward.id })).cancelRedemption.status).toBe("CANCELLED");
    // 200 spendable points repay the 200 owed; the 100 expired ones stay expired.
    expect(await available(member.id)).toBe(0);
    const now = await travel(400);
    // The run expires every lot due on the shared stack (other files' too): what it says of this member is read from its postings.
    expect((await ledgerTool("expire", ["--now", now.toISOString()])).output).toMatch(/Expired \d+ points in \d+ lots/);
    expect(await dbQuery("ledger", `SELECT count(*)::int AS lots, sum(amount)::int AS points FROM postings WHERE member_id = $1 AND entry_kind = 'EXPIRY'`, [member.id])).toEqual([
      { lots: 1, points: -100 },
    ]);
    expect(await available(member.id)).toBe(0);
    await expectLedgerConsistent();
  });
});
