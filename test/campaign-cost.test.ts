import { setTerms, statementOf } from "./support/clearing";
import { enrollMember, registerPartner } from "./support/fixtures";
import { asMember, asPartnerApp, gql, ok, unique } from "./support/gateway";
import { expectLedgerConsistent, ledgerTool } from "./support/ledger";
import { createCampaign, purchaseWithBonuses } from "./support/campaigns";
import { useDedicatedStack } from "./support/dedicated-stack";

/**
 * A campaign's cost so far (issue 17: "a campaign's cost so far is visible to its funder"), worked out
 * by hand: the partner pays 1,500 minor units per 1,000 points it issues (1.5 per point), earns 1 point
 * per 100 minor units, and funds a 50% bonus.
 */
const COST = `query($p: ID) { campaigns(partnerId: $p) { id costSoFar pointsAwarded } }`;
const REVERSE = `mutation($input: ReversePurchaseInput!) { reversePurchase(input: $input) { id points } }`;

describe("Campaign.costSoFar", () => {
  // A stack of its own: the money this file's priced partner moves would otherwise count in the shared
  // stack's coalition float, which test/clearing.test.ts checks to the cent. The shared helpers
  // (ok, fixtures, the ledger check) read these variables, pointed here for this file.
  const dedicated = useDedicatedStack("campaign_cost");
  const saved: Record<string, string | undefined> = {};
  const POINTED = ["TEST_GATEWAY_URL", "TEST_JWT_SECRET", "TEST_DATABASE_NAME_SUFFIX"] as const;
  beforeAll(() => {
    for (const name of POINTED) saved[name] = process.env[name];
    process.env.TEST_GATEWAY_URL = dedicated.stack.gatewayUrl;
    process.env.TEST_JWT_SECRET = dedicated.stack.env.JWT_SECRET;
    process.env.TEST_DATABASE_NAME_SUFFIX = dedicated.suffix;
  });
  afterAll(() => {
    for (const name of POINTED) process.env[name] = saved[name];
  });
  afterEach(() => expectLedgerConsistent());

  it("is the standing bonus points at the price charged, rounded once, and follows refunds; only the funder and admins see it", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    await ok(`mutation($i: SetPartnerTermsInput!) { setPartnerTerms(input: $i) { version } }`, {
      i: { partnerId: partner.id, issuePricePer1000: 1500, redemptionPricePer1000: 1000, breakageSharePercent: 0, billing: "POSTPAID" },
    });
    const { issuePartnerApiKey } = await ok(`mutation($id: ID!) { issuePartnerApiKey(partnerId: $id) { key } }`, { id: partner.id });
    const member = await enrollMember();
    const campaign = await createCampaign({ fundedByPartnerId: partner.id, bonusPercent: 50 });
    const costNow = async () => (await ok(COST, { p: partner.id }, asPartnerApp(issuePartnerApiKey.key))).campaigns.find((c: { id: string }) => c.id === campaign.id);

    expect(await costNow()).toMatchObject({ costSoFar: 0, pointsAwarded: 0 });
    const first = await purchaseWithBonuses(partner, member.id, 10_000); // 100 base points → a 50-point bonus
    await purchaseWithBonuses(partner, member.id, 1_900); // 19 → floor(9.5) = 9
    // 59 points × 1.5 = 88.5, rounded half away from zero: 89.
    expect(await costNow()).toMatchObject({ costSoFar: 89, pointsAwarded: 59 });

    // The first purchase refunded in full takes its 50-point bonus back: 9 points × 1.5 = 13.5 → 14.
    await ok(REVERSE, { input: { partnerId: partner.id, reference: first.reference, amountMinor: 10_000, refundReference: unique("refund") } });
    expect((await costNow()).costSoFar).toBe(14);

    // A member (who sees campaigns as offers: this one applies to every purchase at the partner) never sees what one costs.
    // Nor what it spends: each figure null and FORBIDDEN, the rest of the offer readable.
    const FIGURES = "costSoFar pointsAwarded membersRewarded budgetPoints budgetRemaining";
    const { data, errors } = await gql(`query($id: ID!) { member(id: $id) { offers { id bonusPercent ${FIGURES} } } }`, { id: member.id }, asMember(member.id));
    const offer = data?.member?.offers?.find((o: { id: string }) => o.id === campaign.id);
    expect(offer).toEqual({ id: campaign.id, bonusPercent: 50, costSoFar: null, pointsAwarded: null, membersRewarded: null, budgetPoints: null, budgetRemaining: null });
    expect(new Set(errors?.map((e) => e.extensions?.code))).toEqual(new Set(["FORBIDDEN"]));
    // Another partner whose purchase earned this funder's bonus (a coalition-wide category campaign would do the same) sees it the same way.
    const other = await registerPartner({ pointsPerUnit: 1 });
    const crossFunded = await createCampaign({ fundedByPartnerId: partner.id, partnerIds: [other.id], bonusPoints: 5 });
    const otherKey = (await ok(`mutation($id: ID!) { issuePartnerApiKey(partnerId: $id) { key } }`, { id: other.id })).issuePartnerApiKey.key;
    const PURCHASE = `mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { bonuses { campaign { id ${FIGURES} } } } }`;
    const seen = await gql(PURCHASE, { input: { partnerId: other.id, memberId: member.id, amountMinor: 1_000, currency: other.currency, reference: unique("r") } }, asPartnerApp(otherKey));
    expect(seen.data?.recordPurchase.bonuses).toEqual([{ campaign: { id: crossFunded.id, costSoFar: null, pointsAwarded: null, membersRewarded: null, budgetPoints: null, budgetRemaining: null } }]);
    expect(new Set(seen.errors?.map((e) => e.extensions?.code))).toEqual(new Set(["FORBIDDEN"]));
    // The funder reads them: 5 points at 1.5 = 7.5, rounded half away from zero: 8.
    expect((await ok(`query($p: ID) { campaigns(partnerId: $p) { id ${FIGURES} } }`, { p: partner.id }, asPartnerApp(issuePartnerApiKey.key))).campaigns)
      .toContainEqual({ id: crossFunded.id, costSoFar: 8, pointsAwarded: 5, membersRewarded: 1, budgetPoints: null, budgetRemaining: null });
  });

  // Here too for the float: these partners are priced.
  it("a refund gives its share of a bonus back to the funder at the price the bonus was charged, not today's", async () => {
    const partner = await registerPartner({ pointsPerUnit: 2 }); // 2 points per 100 minor units
    await setTerms(partner.id, { issue: 2003, redemption: 1000, share: 0 });
    const member = await enrollMember();
    const campaign = await createCampaign({ fundedByPartnerId: partner.id, bonusPercent: 50 });
    const purchase = await purchaseWithBonuses(partner, member.id, 20_000); // 400 points and a 200-point bonus, both at 2,003
    expect(purchase.bonuses.map((b) => b.points)).toEqual([200]);
    await setTerms(partner.id, { issue: 3000, redemption: 1000, share: 0 }); // a price rise before the refund
    // Half refunded: 200 points back and floor(200 × 10,000 / 20,000) = 100 of the bonus.
    await ok(REVERSE, { input: { partnerId: partner.id, reference: purchase.reference, amountMinor: 10_000, refundReference: unique("refund") } });
    const period = new Date().toISOString().slice(0, 7); // this stack's clock is the machine's
    // 400 × 2.003 = 801.2 → 801; 200 back × 2.003 = 400.6 → 401; bonuses 200 − 100 = 100 × 2.003 = 200.3 → 200
    // (at today's 3,000 the bonus line was 400.6 − 300 = 100.6 → 101); net 801 − 401 + 200 = 600.
    const statement = await statementOf(partner.id, period);
    expect(statement.lines).toEqual([
      { kind: "PURCHASES_ISSUED", points: 400, amount: 801 },
      { kind: "BONUSES_ISSUED", points: 100, amount: 200 },
      { kind: "REFUNDS", points: 200, amount: -401 },
    ]);
    expect(statement.netAmount).toBe(600);
    // What is left, 200 + 100 points, is valued at the 2,003 they were charged: 600.9 → 601.
    const { partner: read } = await ok(`query($id: ID!) { partner(id: $id) { liability { pointsOutstanding value } } }`, { id: partner.id });
    expect(read.liability).toEqual({ pointsOutstanding: 300, value: 601 });
    expect((await ok(COST, { p: partner.id })).campaigns.find((c: { id: string }) => c.id === campaign.id).costSoFar).toBe(200);
    const verified = await ledgerTool("clearing-verify");
    expect(verified).toEqual({ code: 0, output: expect.stringContaining("Every statement matches the ledger.") });
  });

  it("a refund gives a PREPAID partner allowance back only for what was drawn from it", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    await setTerms(partner.id, { issue: 1000, redemption: 1000, share: 0 }); // POSTPAID
    const member = await enrollMember();
    const postpaid = await purchaseWithBonuses(partner, member.id, 100_000); // 1,000 points, billed afterwards
    await setTerms(partner.id, { issue: 1000, redemption: 1000, share: 0, billing: "PREPAID" });
    const remaining = async () => (await ok(`query($id: ID!) { partner(id: $id) { prepaidPointsRemaining } }`, { id: partner.id })).partner.prepaidPointsRemaining;
    expect(await remaining()).toBe(0);
    // Refunding the POSTPAID purchase gives nothing: those points never came from an allowance.
    await ok(REVERSE, { input: { partnerId: partner.id, reference: postpaid.reference, amountMinor: 100_000, refundReference: unique("refund") } });
    expect(await remaining()).toBe(0);
    const PURCHASE = `mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { id } }`;
    const refused = await gql(PURCHASE, { input: { partnerId: partner.id, memberId: member.id, amountMinor: 100_000, currency: partner.currency, reference: unique("r") } });
    expect(refused.errors?.map((e) => e.extensions?.code)).toEqual(["LIMIT_EXCEEDED"]);
    // A PREPAID purchase refunded gives back what it drew: 500 bought, 300 issued, 200 left, 500 again after the refund.
    await ok(`mutation($i: AddPrepaidPointsInput!) { addPrepaidPoints(input: $i) { id } }`, { i: { partnerId: partner.id, points: 500, reference: unique("inv") } });
    const prepaid = await purchaseWithBonuses(partner, member.id, 30_000);
    expect(await remaining()).toBe(200);
    await ok(REVERSE, { input: { partnerId: partner.id, reference: prepaid.reference, amountMinor: 30_000, refundReference: unique("refund") } });
    expect(await remaining()).toBe(500);
    const verified = await ledgerTool("clearing-verify");
    expect(verified).toEqual({ code: 0, output: expect.stringContaining("Every statement matches the ledger.") });
  });
});
