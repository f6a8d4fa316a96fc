import { enrollMember, registerPartner, type PartnerFixture } from "./support/fixtures";
import { type Caller, asMember, asPartnerApp, gql, ok } from "./support/gateway";

const LINK = `mutation($input: LinkPartnerAccountInput!) { linkPartnerAccount(input: $input) { externalId status confirmed } }`;
const ACCOUNTS = `query($id: ID!) { member(id: $id) { partnerAccounts { partner { id } externalId status confirmed } } }`;
const ENROL = `mutation($input: EnrollMemberInput!) { enrollMember(input: $input) { id } }`;

/**
 * README, "Account ids nobody checked": a member who claims a stranger's account id cannot block its
 * real holder; a confirmed link (the partner's app, the till's enrolment) ends another member's
 * unconfirmed link with the same id. The till's enrolment without `externalId` makes a confirmed link
 * whose account id is the member's id: a member who typed someone else's member id as "their" account
 * id at that partner blocked that person's till enrolment (CONFLICT, every time).
 */
describe("the till's default account id (the member's id) against an unconfirmed claim", () => {
  let shop: PartnerFixture;
  let till: Caller;
  beforeAll(async () => {
    shop = await registerPartner();
    const { issuePartnerApiKey } = await ok(`mutation($id: ID!) { issuePartnerApiKey(partnerId: $id) { key } }`, { id: shop.id });
    till = asPartnerApp(issuePartnerApiKey.key);
  });

  it("a member typing another member's id as their account id does not block that member's enrolment at the till", async () => {
    const [squatter, victim] = [await enrollMember(), await enrollMember()];
    // The squatter knows the victim's id (a transfer, a voucher...) and claims it as their account id at the shop.
    expect((await ok(LINK, { input: { memberId: squatter.id, partnerId: shop.id, externalId: victim.id } }, asMember(squatter.id))).linkPartnerAccount).toEqual({
      externalId: victim.id,
      status: "ACTIVE",
      confirmed: false,
    });
    // The victim enrols at the shop's till (no card number: the link's account id is the member's id).
    const result = await gql(ENROL, { input: { email: victim.email, displayName: "At The Till" } }, till);
    expect(result.errors?.map((e) => `${e.extensions?.code}: ${e.message}`) ?? []).toEqual([]);
    expect(result.data?.enrollMember).toEqual({ id: victim.id });
    expect((await ok(ACCOUNTS, { id: victim.id }, asMember(victim.id))).member.partnerAccounts).toEqual([
      { partner: { id: shop.id }, externalId: victim.id, status: "PENDING", confirmed: true },
    ]);
    expect((await ok(ACCOUNTS, { id: squatter.id }, asMember(squatter.id))).member.partnerAccounts).toEqual([]);
  });
});
