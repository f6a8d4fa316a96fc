import { setTerms } from "./support/clearing";
import { createReward, enrollMember, recordPurchase, redeem, registerPartner } from "./support/fixtures";
import { asMember, ok, unique } from "./support/gateway";

const exportOf = async (memberId: string) => (await ok(`query($id: ID!) { member(id: $id) { dataExport } }`, { id: memberId }, asMember(memberId))).member.dataExport;

/**
 * A member's export is the member's own data (README, "Members' data"): never what another member did,
 * nor a partner's private terms. A transferred lot keeps its issuer (for the clearing house), and every
 * lot the issue price it was charged at: neither is the member's to read.
 */
describe("a member's data export tells nothing of other members or of partners' terms", () => {
  it("the issue price a partner pays is in no lot; a transfer's receiver never sees where the sender earned the points, returned or not", async () => {
    const [earnedAt, offering] = [await registerPartner(), await registerPartner()];
    await setTerms(earnedAt.id, { issue: 1234, redemption: 0, share: 0 });
    const [sender, receiver] = [await enrollMember(), await enrollMember()];
    await recordPurchase(earnedAt, sender.id, 50_000);
    await ok(`mutation($input: TransferPointsInput!) { transferPoints(input: $input) { id } }`, { input: { fromMemberId: sender.id, toMemberId: receiver.id, points: 100, idempotencyKey: unique("t") } }, asMember(sender.id));
    // The receiver spends the transferred points and cancels: the points come back as a RETURN lot.
    const reward = await createReward(offering.id, { costPoints: 60 });
    const { redeemReward } = await redeem(receiver.id, reward.id);
    await ok(`mutation($id: ID!) { cancelRedemption(id: $id) { status } }`, { id: redeemReward.id }, asMember(receiver.id));

    const sent = await exportOf(sender.id);
    expect(sent.services.ledger.lots.length).toBeGreaterThan(0);
    for (const lot of sent.services.ledger.lots) expect(lot).not.toHaveProperty("issue_price_per_1000");
    // The sender's own lot still names where they earned it.
    expect(sent.services.ledger.lots.map((lot: { partner_id: string }) => lot.partner_id)).toContain(earnedAt.id);

    const received = await exportOf(receiver.id);
    const sources = received.services.ledger.lots.map((lot: { source: string }) => lot.source).sort();
    expect(sources).toEqual(["RETURN", "TRANSFER"]);
    for (const lot of received.services.ledger.lots) {
      expect(lot).not.toHaveProperty("issue_price_per_1000");
      expect(lot.partner_id).toBeNull();
    }
    const whole = JSON.stringify(received);
    expect(whole).not.toContain(earnedAt.id);
    expect(whole).not.toContain(sender.id);
    // A lot's origin (README, Refunds): the received lot's is the sender's lot, not shown; the returned lot's is the receiver's own received lot.
    const lotOf = (source: string) => received.services.ledger.lots.find((lot: { source: string }) => lot.source === source);
    expect(lotOf("TRANSFER").origin_lot_id).toBeNull();
    expect(String(lotOf("RETURN").origin_lot_id)).toBe(String(lotOf("TRANSFER").id));
  });
});
