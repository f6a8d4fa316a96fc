import { encodeIdCursor } from "../shared/src/cursor";
import { createCampaign, hoursFromNow, offersOf } from "./support/campaigns";
import { enrollMember, recordPurchase, registerPartner } from "./support/fixtures";
import { asMember, asPartnerApp, fails, gql, ok } from "./support/gateway";

/**
 * The campaign lists page like every list that grows (README, Frontend clients): `campaignsConnection`
 * pages `campaigns` (newest first), `Member.offersConnection` pages `Member.offers` (the order bonuses
 * apply in: startsAt, then creation). Before, `campaigns` stopped at the newest 200 and `offers` at the
 * first 100, with no way to read the rest: in a coalition with more running campaigns than that, a
 * member app never showed the newest offers.
 */

type Page = { edges: { cursor: string; node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };

/** Every page of a connection, `first` at a time: the ids in order, and how many pages. */
async function allPages(fetch: (after: string | null) => Promise<Page>, first: number): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let after: string | null = null;
  for (let pages = 1; ; pages++) {
    const page = await fetch(after);
    expect(page.edges.length).toBeLessThanOrEqual(first);
    ids.push(...page.edges.map((edge) => edge.node.id));
    if (!page.pageInfo.hasNextPage) return { ids, pages };
    expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)!.cursor);
    after = page.pageInfo.endCursor;
  }
}

describe("campaign lists, page by page", () => {
  let partner: Awaited<ReturnType<typeof registerPartner>>;
  let app: ReturnType<typeof asPartnerApp>;
  // Created in this order, started at these hours from now (all active now).
  const startedHoursAgo = [3, 5, 1, 4, 2];
  const created: string[] = [];

  beforeAll(async () => {
    partner = await registerPartner();
    const { issuePartnerApiKey } = await ok(`mutation($id: ID!) { issuePartnerApiKey(partnerId: $id) { key } }`, { id: partner.id });
    app = asPartnerApp(issuePartnerApiKey.key);
    for (const hours of startedHoursAgo) {
      created.push((await createCampaign({ fundedByPartnerId: partner.id, bonusPercent: 10, startsAt: hoursFromNow(-hours), endsAt: hoursFromNow(48) }, app)).id);
    }
  });

  it("campaignsConnection pages a partner's campaigns newest first, exactly as campaigns lists them", async () => {
    const query = `query($p: ID, $after: String) { campaignsConnection(partnerId: $p, first: 2, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`;
    const paged = await allPages(async (after) => (await ok(query, { p: partner.id, after }, app)).campaignsConnection, 2);
    // Newest first: the reverse of their creation; 5 campaigns at 2 a page are 3 pages.
    expect(paged).toEqual({ ids: [...created].reverse(), pages: 3 });
    const { campaigns } = await ok(`query($p: ID) { campaigns(partnerId: $p) { id } }`, { p: partner.id }, app);
    expect(campaigns.map((c: { id: string }) => c.id)).toEqual(paged.ids);
  });

  it("Member.offersConnection pages the offers in the order bonuses apply: startsAt, then creation", async () => {
    const member = await enrollMember();
    const offered = await offersOf(member.id, asMember(member.id));
    // Ours among every campaign offered (the ledger holds other files' too): started 5, 4, 3, 2 and 1 hours ago.
    const ours = offered.filter((id) => created.includes(id));
    expect(ours).toEqual([created[1], created[3], created[0], created[4], created[2]]);

    // The connection's first page is what offers lists for the same first; pages of 2 hold the same list.
    const query = `query($id: ID!, $after: String) { member(id: $id) { offers(first: 2) { id } offersConnection(first: 2, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } } }`;
    const first = (await ok(query, { id: member.id, after: null }, asMember(member.id))).member;
    expect(first.offers.map((o: { id: string }) => o.id)).toEqual(first.offersConnection.edges.map((e: { node: { id: string } }) => e.node.id));
    const paged = await allPages(async (after) => (await ok(query, { id: member.id, after }, asMember(member.id))).member.offersConnection, 2);
    expect(paged.ids).toEqual(offered);
    expect(paged.pages).toBe(Math.max(1, Math.ceil(offered.length / 2)));
  });

  it("answers each member's own offers when one request asks for several (one statement for all of them)", async () => {
    const shop = await registerPartner({ pointsPerUnit: 2 });
    const gold = await enrollMember();
    const base = await enrollMember();
    await recordPurchase(shop, gold.id, 1_100_000); // 11,000.00 at 2 a unit: 22,000 qualifying points, GOLD (20,000)
    await recordPurchase(shop, base.id, 1_000); // 20 points: BASE
    const everyone = await createCampaign({ fundedByPartnerId: shop.id, bonusPercent: 10 });
    const goldOnly = await createCampaign({ fundedByPartnerId: shop.id, bonusPercent: 20, minimumTier: "GOLD" });
    const ask = `query($g: ID!, $b: ID!, $after: String) {
      g: member(id: $g) { offersConnection(first: 100, after: $after) { edges { node { id } } } }
      b: member(id: $b) { offersConnection(first: 100, after: $after) { edges { node { id } } } } }`;
    // From the cursor of the campaign just before ours in the gold member's offers (the ledger holds other files' campaigns): both pages start with ours.
    const all = await offersOf(gold.id);
    const before = all[all.indexOf(everyone.id) - 1];
    const { g, b } = await ok(ask, { g: gold.id, b: base.id, after: before ? encodeIdCursor("campaign", before) : null });
    const ids = (member: { offersConnection: { edges: { node: { id: string } }[] } }) => member.offersConnection.edges.map((e) => e.node.id).filter((id) => [everyone.id, goldOnly.id].includes(id));
    expect(ids(g)).toEqual([everyone.id, goldOnly.id]);
    expect(ids(b)).toEqual([everyone.id]);
  });

  it("refuses a cursor that is not a campaign's; a campaign's that the list does not hold gives an empty page", async () => {
    const member = await enrollMember();
    const notACampaign = encodeIdCursor("reward", created[0]);
    const refused = await fails(`query($id: ID!, $after: String) { member(id: $id) { offersConnection(after: $after) { edges { node { id } } } } }`, { id: member.id, after: notACampaign }, "BAD_USER_INPUT", asMember(member.id));
    expect(refused.extensions?.field).toBe("after");
    await fails(`query($after: String) { campaignsConnection(after: $after) { edges { node { id } } } }`, { after: "not-a-cursor" }, "BAD_USER_INPUT");

    // Another funder's campaign as the cursor of this partner's list: nothing (its place in another list is not this list's).
    const other = await registerPartner();
    const theirs = await createCampaign({ fundedByPartnerId: other.id, bonusPercent: 10 });
    const page = (await ok(`query($p: ID, $after: String) { campaignsConnection(partnerId: $p, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`, { p: partner.id, after: encodeIdCursor("campaign", theirs.id) }, app)).campaignsConnection;
    expect(page).toEqual({ edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
    // And a partner app reads only its own campaigns, paged or not.
    const denied = await gql(`query($p: ID) { campaignsConnection(partnerId: $p) { edges { node { id } } } }`, { p: other.id }, app);
    expect(denied.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("first is 1 to 100 on both", async () => {
    const member = await enrollMember();
    for (const first of [0, 101]) {
      await fails(`query($p: ID, $first: Int) { campaignsConnection(partnerId: $p, first: $first) { edges { node { id } } } }`, { p: partner.id, first }, "BAD_USER_INPUT", app);
      await fails(`query($id: ID!, $first: Int) { member(id: $id) { offers(first: $first) { id } } }`, { id: member.id, first }, "BAD_USER_INPUT", asMember(member.id));
    }
  });
});
