import { registerPartner } from "./support/fixtures";
import { asPartnerApp, fails, ok } from "./support/gateway";
import { createCampaign, endCampaign } from "./support/campaigns";

/**
 * `campaigns(partnerId)`: "BAD_USER_INPUT (a partnerId that is not a UUID)". An empty string is not a
 * UUID and names no partner; it was read as "left out" (falsy), so an admin got every funder's
 * campaigns and a partner app a FORBIDDEN about all of them.
 */
const LIST = `query($p: ID) { campaigns(partnerId: $p) { id } }`;

describe("campaigns(partnerId)", () => {
  it("an empty partnerId is BAD_USER_INPUT naming partnerId, for an admin and for a partner app, not every campaign", async () => {
    const partner = await registerPartner();
    const campaign = await createCampaign({ fundedByPartnerId: partner.id, bonusPoints: 5 });
    try {
      expect((await fails(LIST, { p: "" }, "BAD_USER_INPUT")).extensions?.field).toBe("partnerId");
      const key = (await ok(`mutation($id: ID!) { issuePartnerApiKey(partnerId: $id) { key } }`, { id: partner.id })).issuePartnerApiKey.key;
      expect((await fails(LIST, { p: "" }, "BAD_USER_INPUT", asPartnerApp(key))).extensions?.field).toBe("partnerId");
      // Left out (null) is still every campaign, for admins.
      expect((await ok(LIST, { p: null })).campaigns.map((c: { id: string }) => c.id)).toContain(campaign.id);
    } finally {
      await endCampaign(campaign.id);
    }
  });
});
