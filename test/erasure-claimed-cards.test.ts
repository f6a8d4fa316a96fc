import { enrollMember, registerPartner } from "./support/fixtures";
import { asMember, asPartnerApp, ok, unique } from "./support/gateway";
import { dbQuery, whereStored } from "./support/member-data";

const LINK = `mutation($input: LinkPartnerAccountInput!) { linkPartnerAccount(input: $input) { status } }`;

/**
 * A member may type a card number that is someone else's (a typo, or a claim on a stranger's card);
 * when the partner's till links the card to its real holder, the typed claim ends, and the claimant's
 * link history keeps the number. An outside review found that number (the holder's partner account
 * id) still in `partner_account_history` after the holder's erasure. The erasure now blanks the
 * holder's account ids in every member's history; the claimant keeps the events (linked, ended), not
 * the erased person's card number.
 */
describe("an erasure and the erased member's card numbers in others' link history", () => {
  it("leaves the card number nowhere; the claimant's history keeps its events", async () => {
    const partner = await registerPartner();
    const { issuePartnerApiKey } = await ok(`mutation($id: ID!) { issuePartnerApiKey(partnerId: $id) { key } }`, { id: partner.id });
    const claimant = await enrollMember();
    const card = unique("card");
    expect((await ok(LINK, { input: { memberId: claimant.id, partnerId: partner.id, externalId: card } }, asMember(claimant.id))).linkPartnerAccount.status).toBe("ACTIVE");
    // The till links the card to its holder: the claimant's typed (unconfirmed) link ends.
    const { enrollMember: holder } = await ok(
      `mutation($input: EnrollMemberInput!) { enrollMember(input: $input) { id } }`,
      { input: { email: `${unique("holder")}@example.com`, displayName: "Holder", externalId: card } },
      asPartnerApp(issuePartnerApiKey.key),
    );
    const other = unique("other-card");
    await ok(LINK, { input: { memberId: claimant.id, partnerId: partner.id, externalId: other } }, asMember(claimant.id));
    expect(await whereStored(card)).toEqual(["members.partner_account_history", "members.partner_accounts"]);

    await ok(`mutation($id: ID!) { eraseMember(id: $id) }`, { id: holder.id });

    expect(await whereStored(card)).toEqual([]);
    const history = await dbQuery("members", `SELECT event, external_id FROM partner_account_history WHERE member_id = $1 ORDER BY id`, [claimant.id]);
    expect(history).toEqual([
      { event: "LINKED", external_id: "(erased)" },
      { event: "ENDED", external_id: "(erased)" },
      { event: "LINKED", external_id: other }, // the claimant's own card stays
    ]);
  });
});
