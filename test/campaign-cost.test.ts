import { enrollMember, registerPartner } from "./support/fixtures";
import { asMember, asPartnerApp, gql, ok, unique } from "./support/gateway";
import { expectLedgerConsistent } from "./support/ledger";
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
    const { data, errors } = await gql(`query($id: ID!) { member(id: $id) { offers { id costSoFar } } }`, { id: member.id }, asMember(member.id));
    const offer = data?.member?.offers?.find((o: { id: string }) => o.id === campaign.id);
    expect(offer).toEqual({ id: campaign.id, costSoFar: null });
    expect(errors?.map((e) => e.extensions?.code)).toContain("FORBIDDEN");
  });
});
