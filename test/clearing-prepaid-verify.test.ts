import { setTerms, verifyWithAllowanceMoved } from "./support/clearing";
import { enrollMember, recordPurchase, registerPartner } from "./support/fixtures";
import { ok, unique } from "./support/gateway";
import { ledgerTool, travel } from "./support/ledger";

/**
 * A PREPAID partner's allowance (`prepaid_allowances.remaining`) is running state kept by the valuation
 * trigger, and the only thing that limits what a PREPAID partner may issue. clearing:verify recomputes
 * it from the top-ups and the postings (outside review: before, an allowance raised in the database,
 * points the partner never bought, passed the audit). A refund gives back only what its purchase drew;
 * before ReversalsAsCharged1734330000000 one posted while PREPAID gave back whatever it reversed, and
 * which refunds were posted before that is not recorded, so the check accepts either rule's figure.
 */
beforeAll(() => travel(0));

const TOP_UP = `mutation($i: AddPrepaidPointsInput!) { addPrepaidPoints(input: $i) { id prepaidPointsRemaining } }`;
const REMAINING = `query($id: ID!) { partner(id: $id) { prepaidPointsRemaining } }`;
const REFUND = `mutation($input: ReversePurchaseInput!) { reversePurchase(input: $input) { id points } }`;

describe("clearing:verify and prepaid allowances", () => {
  it("catches an allowance that differs from its top-ups less what was issued from it", async () => {
    const shop = await registerPartner({ pointsPerUnit: 1, returnWindowDays: 0 });
    await setTerms(shop.id, { issue: 500, redemption: 0, share: 0, billing: "PREPAID" });
    expect((await ok(TOP_UP, { i: { partnerId: shop.id, points: 1_000, reference: unique("INV") } })).addPrepaidPoints.prepaidPointsRemaining).toBe(1_000);
    await recordPurchase(shop, (await enrollMember()).id, 30_000); // 300 points from the allowance: 700 left
    expect((await ok(REMAINING, { id: shop.id })).partner.prepaidPointsRemaining).toBe(700);
    expect((await ledgerTool("clearing-verify")).code).toBe(0);
    expect(await verifyWithAllowanceMoved(shop.id, 1_000_000)).toEqual({ code: 1, flagsThisAllowance: true }); // a million never bought
    expect(await verifyWithAllowanceMoved(shop.id, -1)).toEqual({ code: 1, flagsThisAllowance: true }); // one point short
  });

  it("accepts what the rule before ReversalsAsCharged gave back for a refund of a POSTPAID purchase, and not a point more", async () => {
    const shop = await registerPartner({ pointsPerUnit: 1, returnWindowDays: 0 });
    await setTerms(shop.id, { issue: 500, redemption: 0, share: 0, billing: "POSTPAID" });
    const receipt = await recordPurchase(shop, (await enrollMember()).id, 30_000); // 300 points, POSTPAID: no allowance drawn
    await setTerms(shop.id, { issue: 500, redemption: 0, share: 0, billing: "PREPAID" });
    await ok(TOP_UP, { i: { partnerId: shop.id, points: 1_000, reference: unique("INV") } });
    await ok(REFUND, { input: { partnerId: shop.id, reference: receipt.reference, amountMinor: 30_000 } });
    // Today's rule: the refund gives back nothing (its purchase drew nothing): 1,000. The old rule gave back its 300: 1,300.
    expect((await ok(REMAINING, { id: shop.id })).partner.prepaidPointsRemaining).toBe(1_000);
    expect((await ledgerTool("clearing-verify")).code).toBe(0);
    expect(await verifyWithAllowanceMoved(shop.id, 300)).toEqual({ code: 0, flagsThisAllowance: false });
    expect(await verifyWithAllowanceMoved(shop.id, 301)).toEqual({ code: 1, flagsThisAllowance: true });
  });
});
