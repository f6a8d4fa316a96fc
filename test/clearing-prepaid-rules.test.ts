import { expectClearingConsistent, ledgerClient, periodOf, setTerms, statementOf, verifyWithAllowanceMoved } from "./support/clearing";
import { enrollMember, recordPurchase, registerPartner } from "./support/fixtures";
import { fails, ok, unique } from "./support/gateway";
import { expectLedgerConsistent, travel } from "./support/ledger";

/**
 * A PREPAID partner's allowance (README, "The clearing house", Prepaid partners): what gives points back
 * to it, and which terms decide whether it may be topped up. Figures worked by hand in the comments.
 */

const TOP_UP = `mutation($i: AddPrepaidPointsInput!) { addPrepaidPoints(input: $i) { id prepaidPointsRemaining } }`;
const REMAINING = `query($id: ID!) { partner(id: $id) { prepaidPointsRemaining } }`;
const ADJUST = `mutation($input: AdjustPointsInput!) { adjustPoints(input: $input) { id points } }`;
const DAY = 86_400_000;

const remaining = async (partnerId: string): Promise<number> => (await ok(REMAINING, { id: partnerId })).partner.prepaidPointsRemaining;
const adjust = (memberId: string, points: number, fundedByPartnerId: string) =>
  ok(ADJUST, { input: { memberId, points, fundedByPartnerId, reason: "CORRECTION", note: "Customer care", idempotencyKey: unique("ticket") } });
const topUp = (partnerId: string, points: number) => ok(TOP_UP, { i: { partnerId, points, reference: unique("INV") } });

beforeAll(() => travel(0));
afterAll(() => travel(0));

describe("a negative adjustment funded by a PREPAID partner", () => {
  it("gives its allowance nothing back: the points it takes are the member's nearest expiry, whoever issued them", async () => {
    const grocer = await registerPartner({ pointsPerUnit: 1, returnWindowDays: 0 }); // no terms: POSTPAID at zero prices
    const coffee = await registerPartner({ pointsPerUnit: 1, returnWindowDays: 0 });
    await setTerms(coffee.id, { issue: 1000, redemption: 0, share: 0, billing: "PREPAID" });
    await topUp(coffee.id, 1_000);
    const member = (await enrollMember()).id;
    await recordPurchase(grocer, member, 50_000); // 500 of the grocer's points, none of the coffee shop's

    // 300 taken back "at the coffee shop's cost": they come from the grocer's lot (500 → 200). Before, the
    // coffee shop's allowance rose by them, 1,000 → 1,300: 300 points it could issue that it never bought.
    await adjust(member, -300, coffee.id);
    expect(await remaining(coffee.id)).toBe(1_000);

    // Its own goodwill of 200 draws on the allowance (1,000 → 800); taking 200 back takes the grocer's last
    // 200 (earlier, so nearer expiry), not the coffee shop's lot, and gives nothing back: still 800.
    await adjust(member, 200, coffee.id);
    expect(await remaining(coffee.id)).toBe(800);
    await adjust(member, -200, coffee.id);
    expect(await remaining(coffee.id)).toBe(800);
    const db = await ledgerClient();
    try {
      const { rows } = await db.query(`SELECT partner_id, points, remaining FROM lots WHERE member_id = $1 ORDER BY earned_at, id`, [member]);
      expect(rows).toEqual([
        { partner_id: grocer.id, points: 500, remaining: 0 },
        { partner_id: coffee.id, points: 200, remaining: 200 },
      ]);
    } finally {
      await db.end();
    }

    // Billing decides only what may be issued, not the value: the adjustments line nets −300 + 200 − 200 = −300 points.
    // Each take-back is credited at the price of the lots it took (AdjustmentTakesAtLotPrices1734940000000): both took the
    // grocer's, charged nothing (it has no terms), so −300 × 0 + 200 × 1,000 / 1,000 − 200 × 0 = 200 cents. (At the coffee
    // shop's own price, as before, it was −300 cents: credited 500 cents for points it never paid for.)
    const period = periodOf(await travel(0));
    expect(await statementOf(coffee.id, period)).toMatchObject({ lines: [{ kind: "ADJUSTMENTS", points: -300, amount: 200 }], netAmount: 200 });
    await expectLedgerConsistent();
    await expectClearingConsistent();
    // clearing:verify accepts what the rule before PrepaidAdjustmentsTakeNothingBack gave back (300 + 200: 1,300), not a point more.
    expect(await verifyWithAllowanceMoved(coffee.id, 500)).toEqual({ code: 0, flagsThisAllowance: false });
    expect(await verifyWithAllowanceMoved(coffee.id, 501)).toEqual({ code: 1, flagsThisAllowance: true });
    expect(await verifyWithAllowanceMoved(coffee.id, -1)).toEqual({ code: 1, flagsThisAllowance: true });
  });
});

describe("addPrepaidPoints reads the terms in force now", () => {
  it("refuses a partner whose PREPAID terms start tomorrow, names when, and accepts it once they are in force", async () => {
    const shop = await registerPartner();
    const now = await travel(0);
    await setTerms(shop.id, { issue: 500, redemption: 0, share: 0, billing: "POSTPAID" });
    const tomorrow = new Date(now.getTime() + DAY);
    await setTerms(shop.id, { issue: 500, redemption: 0, share: 0, billing: "PREPAID" }, tomorrow.toISOString());

    const refused = await fails(TOP_UP, { i: { partnerId: shop.id, points: 100, reference: unique("INV") } }, "BAD_USER_INPUT");
    expect(refused.extensions?.field).toBe("partnerId");
    expect(refused.message).toContain(`PREPAID from ${tomorrow.toISOString()}`);
    expect(await remaining(shop.id)).toBe(0);

    await travel(1.01); // the PREPAID terms are in force
    expect((await topUp(shop.id, 100)).addPrepaidPoints.prepaidPointsRemaining).toBe(100);
    await travel(0);
  });

  it("accepts a partner that is PREPAID now though its next terms (from tomorrow) are POSTPAID, and refuses it from then", async () => {
    const shop = await registerPartner();
    const now = await travel(0);
    await setTerms(shop.id, { issue: 500, redemption: 0, share: 0, billing: "PREPAID" });
    await setTerms(shop.id, { issue: 500, redemption: 0, share: 0, billing: "POSTPAID" }, new Date(now.getTime() + DAY).toISOString());

    expect((await topUp(shop.id, 100)).addPrepaidPoints.prepaidPointsRemaining).toBe(100);
    await travel(1.01);
    await fails(TOP_UP, { i: { partnerId: shop.id, points: 100, reference: unique("INV") } }, "BAD_USER_INPUT");
    expect(await remaining(shop.id)).toBe(100);
    await travel(0);
  });
});
