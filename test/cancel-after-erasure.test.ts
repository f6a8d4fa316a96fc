import { expectCatalogConsistent } from "./support/consistency";
import { createReward, enrollMember, recordPurchase, redeem, registerPartner } from "./support/fixtures";
import { asPartnerApp, gql, ok } from "./support/gateway";
import { expectLedgerConsistent } from "./support/ledger";
import { dbQuery } from "./support/member-data";

const CANCEL = `mutation($id: ID!) { cancelRedemption(id: $id) { id status } }`;
const ERASE = `mutation($id: ID!) { eraseMember(id: $id) }`;
const USED = `mutation($code: String!) { markVoucherUsed(code: $code) { voucherUsedAt } }`;

async function redeemed() {
  const partner = await registerPartner({ pointsPerUnit: 1 });
  const member = await enrollMember();
  await recordPurchase(partner, member.id, 100_000);
  const reward = await createReward(partner.id, { costPoints: 400, stock: 3 });
  const { redeemReward } = await redeem(member.id, reward.id);
  return { partner, member, reward, redemption: redeemReward as { id: string; voucherCode: string } };
}

/**
 * A cancellation claimed (the voucher blocked) but not finished when the member is erased: an erased
 * member's points are forfeited and nothing goes back to the id, but a cancellation must still end,
 * one way or the other, instead of answering UPSTREAM_UNAVAILABLE ("it will complete automatically")
 * for ever with the voucher blocked (README, erasure: "Vouchers already paid for stay valid").
 */
describe("a cancellation left unfinished by an erasure", () => {
  it("nothing given back yet: the claim is undone (CONFLICT) and the voucher stays valid", async () => {
    const { partner, member, redemption } = await redeemed();
    // What a cancel leaves when the ledger does not answer after the claim: still COMPLETED, the voucher blocked.
    await dbQuery("catalog", `UPDATE redemptions SET cancel_requested_at = now() WHERE id = $1`, [redemption.id]);
    expect((await ok(ERASE, { id: member.id })).eraseMember).toBe(true);

    const codes = [];
    for (let i = 0; i < 2; i++) codes.push((await gql(CANCEL, { id: redemption.id })).errors?.map((e) => e.extensions?.code));
    expect(codes).toEqual([["CONFLICT"], ["CONFLICT"]]);
    expect((await dbQuery("catalog", `SELECT status, cancel_requested_at FROM redemptions WHERE id = $1`, [redemption.id]))[0]).toEqual({ status: "COMPLETED", cancel_requested_at: null });
    const { issuePartnerApiKey } = await ok(`mutation($id: ID!) { issuePartnerApiKey(partnerId: $id) { key } }`, { id: partner.id });
    expect((await gql(USED, { code: redemption.voucherCode }, asPartnerApp(issuePartnerApiKey.key))).errors).toBeUndefined();
    await expectLedgerConsistent();
    await expectCatalogConsistent();
  });

  it("the points already given back before the erasure: the retry finishes it (CANCELLED, the stock back)", async () => {
    const { member, reward, redemption } = await redeemed();
    expect((await ok(CANCEL, { id: redemption.id })).cancelRedemption.status).toBe("CANCELLED");
    // What a crash leaves after the ledger gave the points back, before the catalog recorded it.
    await dbQuery("catalog", `UPDATE redemptions SET status = 'COMPLETED' WHERE id = $1`, [redemption.id]);
    await dbQuery("catalog", `UPDATE rewards SET stock = stock - 1 WHERE id = $1`, [reward.id]);
    expect((await ok(ERASE, { id: member.id })).eraseMember).toBe(true);

    const again = await gql(CANCEL, { id: redemption.id });
    expect({ errors: again.errors?.map((e) => e.extensions?.code), data: again.data }).toEqual({ errors: undefined, data: { cancelRedemption: { id: redemption.id, status: "CANCELLED" } } });
    expect((await ok(`query($id: ID!) { reward(id: $id) { stock } }`, { id: reward.id })).reward.stock).toBe(3);
    await expectLedgerConsistent();
    await expectCatalogConsistent();
  });
});
