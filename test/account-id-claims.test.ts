import { enrollMember, registerPartner, type PartnerFixture } from "./support/fixtures";
import { type Caller, asAdmin, asMember, asPartnerApp, fails, ok, unique } from "./support/gateway";

const LINK = `mutation($input: LinkPartnerAccountInput!) { linkPartnerAccount(input: $input) { externalId status confirmed } }`;
const ACCOUNTS = `query($id: ID!) { member(id: $id) { partnerAccounts { partner { id } externalId status confirmed } } }`;
const ENROL = `mutation($input: EnrollMemberInput!) { enrollMember(input: $input) { id } }`;

/**
 * A partner is the authority on its own account ids (README, "Partner apps", account ids): a member's
 * own link names an id nobody checked, and the partner's app (or an admin) linking that id for someone
 * else ends it. Before, anyone could claim a stranger's card number, ACTIVE at once, and block its
 * real holder for good (CONFLICT).
 */
describe("account ids a member typed themself", () => {
  let shop: PartnerFixture;
  let till: Caller;
  const accountsOf = async (memberId: string) => (await ok(ACCOUNTS, { id: memberId }, asMember(memberId))).member.partnerAccounts;

  beforeAll(async () => {
    shop = await registerPartner();
    const { issuePartnerApiKey } = await ok(`mutation($id: ID!) { issuePartnerApiKey(partnerId: $id) { key } }`, { id: shop.id });
    till = asPartnerApp(issuePartnerApiKey.key);
  });

  it("are unconfirmed; the partner's app linking the id for its real holder ends the claim, which cannot come back", async () => {
    const [squatter, holder, other] = [await enrollMember(), await enrollMember(), await enrollMember()];
    const card = unique("CARD");
    const claim = { memberId: squatter.id, partnerId: shop.id, externalId: card };
    expect((await ok(LINK, { input: claim }, asMember(squatter.id))).linkPartnerAccount).toEqual({ externalId: card, status: "ACTIVE", confirmed: false });
    // Another member's own claim still meets it: CONFLICT, as before.
    expect((await fails(LINK, { input: { ...claim, memberId: other.id } }, "CONFLICT", asMember(other.id))).extensions?.field).toBe("externalId");
    // The shop knows the card is the holder's: its link (PENDING until the holder approves) ends the squatter's.
    expect((await ok(LINK, { input: { ...claim, memberId: holder.id } }, till)).linkPartnerAccount).toEqual({ externalId: card, status: "PENDING", confirmed: true });
    expect(await accountsOf(squatter.id)).toEqual([]);
    expect(await accountsOf(holder.id)).toEqual([{ partner: { id: shop.id }, externalId: card, status: "PENDING", confirmed: true }]);
    // A confirmed id blocks everyone else's claim, the squatter's again included.
    await fails(LINK, { input: claim }, "CONFLICT", asMember(squatter.id));
    await fails(LINK, { input: { ...claim, memberId: other.id } }, "CONFLICT", asAdmin());
    expect(await accountsOf(holder.id)).toHaveLength(1);
  });

  it("a member's own id, given by the partner too, becomes confirmed and stays ACTIVE", async () => {
    const member = await enrollMember();
    const card = unique("CARD");
    const input = { memberId: member.id, partnerId: shop.id, externalId: card };
    await ok(LINK, { input }, asMember(member.id));
    expect((await ok(LINK, { input }, till)).linkPartnerAccount).toEqual({ externalId: card, status: "ACTIVE", confirmed: true });
    // An admin's link is confirmed at once.
    const other = await enrollMember();
    expect((await ok(LINK, { input: { memberId: other.id, partnerId: shop.id, externalId: unique("CARD") } }, asAdmin())).linkPartnerAccount).toMatchObject({ status: "ACTIVE", confirmed: true });
  });

  it("the till's enrolment with a card number ends another member's claim to it, and confirms the member's own", async () => {
    const squatter = await enrollMember();
    const card = unique("CARD");
    await ok(LINK, { input: { memberId: squatter.id, partnerId: shop.id, externalId: card } }, asMember(squatter.id));
    const { enrollMember: enrolled } = await ok(ENROL, { input: { email: `${unique("till")}@example.com`, displayName: "Real Holder", externalId: card } }, till);
    expect(await accountsOf(squatter.id)).toEqual([]);
    expect(await accountsOf(enrolled.id)).toEqual([{ partner: { id: shop.id }, externalId: card, status: "PENDING", confirmed: true }]);

    const member = await enrollMember();
    const own = unique("CARD");
    await ok(LINK, { input: { memberId: member.id, partnerId: shop.id, externalId: own } }, asMember(member.id));
    await ok(ENROL, { input: { email: member.email, displayName: "Again", externalId: own } }, till);
    expect(await accountsOf(member.id)).toEqual([{ partner: { id: shop.id }, externalId: own, status: "ACTIVE", confirmed: true }]);
  });
});
