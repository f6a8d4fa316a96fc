import { enrollMember, registerPartner, type PartnerFixture } from "./support/fixtures";
import { type Caller, asMember, asPartnerApp, fails, gql, ok, unique } from "./support/gateway";

const ENROL = (selection: string) => `mutation($input: EnrollMemberInput!) { enrollMember(input: $input) { ${selection} } }`;
const ACCOUNTS = `query($id: ID!) { member(id: $id) { displayName partnerAccounts { partner { id } externalId status } } }`;

/**
 * What a caller can tell from an answer: its data and its errors (message, code, path). The member's
 * id is the one thing that differs (the existing member's, or the new one's), so it is masked: since
 * the member's other fields are nullable, a FORBIDDEN field leaves the id in the answer.
 */
const shape = (result: { data?: unknown; errors?: { message: string; path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[] }) => ({
  data: JSON.parse(JSON.stringify(result.data ?? null).replace(/"id":"[0-9a-f-]{36}"/g, '"id":"<id>"')),
  errors: result.errors?.map((e) => ({ message: e.message, code: e.extensions?.code, path: e.path })) ?? null,
});

/**
 * A partner app enrolling at its till cannot learn whether an email address is enrolled: an enrolled
 * address answers exactly like a new one (the member's id, nothing else readable) and leaves a PENDING
 * link for the member to approve. Admins still get CONFLICT.
 */
describe("enrolment at a partner's till does not reveal who is a member", () => {
  let x: PartnerFixture;
  let till: Caller;

  beforeAll(async () => {
    x = await registerPartner();
    const { issuePartnerApiKey } = await ok(`mutation($id: ID!) { issuePartnerApiKey(partnerId: $id) { key } }`, { id: x.id });
    till = asPartnerApp(issuePartnerApiKey.key);
  });

  it("an enrolled address answers like a new one: the id, no CONFLICT, nothing personal readable", async () => {
    const enrolled = await enrollMember({ displayName: "Existing Eve" });
    const fresh = `${unique("new")}@example.com`;
    const input = (email: string) => ({ input: { email, displayName: "Typed At Till" } });

    // Everything a till might ask for: denied alike in both cases, and nothing it did not send comes back.
    for (const selection of ["id email displayName enrolledAt", "id displayName", "id tier balance { available }", "id partnerAccounts { status }"]) {
      const [known, unknown] = [await gql(ENROL(selection), input(enrolled.email.toUpperCase()), till), await gql(ENROL(selection), input(`${unique(selection.length.toString())}-${fresh}`), till)];
      expect(shape(known)).toEqual(shape(unknown));
      expect(shape(known).errors?.map((e) => e.code).every((code) => code === "FORBIDDEN")).toBe(true);
      expect(JSON.stringify(known)).not.toMatch(/Existing Eve|@example\.com|enrolledAt":"/);
    }

    // Only the id is readable, in both cases; the enrolled address gives the existing member's id.
    const { enrollMember: known } = await ok(ENROL("id"), input(enrolled.email), till);
    const { enrollMember: created } = await ok(ENROL("id"), input(fresh), till);
    expect(known).toEqual({ id: enrolled.id });
    expect(Object.keys(created)).toEqual(["id"]);
    expect(created.id).not.toBe(enrolled.id);

    for (const id of [enrolled.id, created.id]) {
      // Each member finds a PENDING link from the partner to approve; the existing member's name is not the till's.
      const { member } = await ok(ACCOUNTS, { id }, asMember(id));
      expect(member.partnerAccounts).toEqual([{ partner: { id: x.id }, externalId: id, status: "PENDING" }]);
      // The till reads nothing of either without the member's approval...
      expect((await gql(`query($id: ID!) { member(id: $id) { displayName } }`, { id }, till)).errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
      // ...and records the purchase either way: earning needs no link.
      const { recordPurchase } = await ok(
        `mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { points } }`,
        { input: { partnerId: x.id, memberId: id, amountMinor: 1_000, currency: x.currency, reference: unique("receipt") } },
        till,
      );
      expect(recordPurchase.points).toBe(10);
    }
    expect((await ok(ACCOUNTS, { id: enrolled.id }, asMember(enrolled.id))).member.displayName).toBe("Existing Eve");

    // Once the member approves, the till sees them.
    await ok(`mutation($p: ID!) { approvePartnerLink(partnerId: $p) { status } }`, { p: x.id }, asMember(enrolled.id));
    expect((await ok(`query($id: ID!) { member(id: $id) { displayName } }`, { id: enrolled.id }, till)).member.displayName).toBe("Existing Eve");
    // Enrolling the address again (a retry) answers the same and leaves the agreed link ACTIVE.
    expect((await ok(ENROL("id"), input(enrolled.email), till)).enrollMember).toEqual({ id: enrolled.id });
    expect((await ok(ACCOUNTS, { id: enrolled.id }, asMember(enrolled.id))).member.partnerAccounts[0].status).toBe("ACTIVE");
  });

  it("a till's own account id goes on the link; one held by another member is a CONFLICT for new and enrolled addresses alike", async () => {
    const card = unique("CARD");
    const email = `${unique("carded")}@example.com`;
    const { enrollMember: first } = await ok(ENROL("id"), { input: { email, displayName: "Carded", externalId: card } }, till);
    expect((await ok(ACCOUNTS, { id: first.id }, asMember(first.id))).member.partnerAccounts).toEqual([{ partner: { id: x.id }, externalId: card, status: "PENDING" }]);
    // A retry after a lost answer: the same member, no error.
    expect((await ok(ENROL("id"), { input: { email, displayName: "Carded", externalId: card } }, till)).enrollMember).toEqual(first);

    const enrolled = await enrollMember();
    const known = await gql(ENROL("id"), { input: { email: enrolled.email, displayName: "X", externalId: card } }, till);
    const unknown = await gql(ENROL("id"), { input: { email: `${unique("other")}@example.com`, displayName: "X", externalId: card } }, till);
    expect(shape(known)).toEqual(shape(unknown));
    expect(shape(known).errors?.map((e) => e.code)).toEqual(["CONFLICT"]);
  });

  it("admins still get CONFLICT for an enrolled address, and may not send externalId", async () => {
    const enrolled = await enrollMember();
    await fails(ENROL("id"), { input: { email: enrolled.email, displayName: "Again" } }, "CONFLICT");
    const error = await fails(ENROL("id"), { input: { email: `${unique("admin")}@example.com`, displayName: "A", externalId: "CARD" } }, "BAD_USER_INPUT");
    expect(error.extensions?.field).toBe("externalId");
  });

  it("concurrent till enrolments of enrolled addresses with the till's card make one link each and no errors", async () => {
    // Two of them linking the same card at once can meet on the (partner, card) key before the
    // (member, partner) one ON CONFLICT names; that must not surface as a CONFLICT.
    const members = await Promise.all(Array.from({ length: 15 }, () => enrollMember()));
    const cards = members.map(() => unique("CARD"));
    const results = await Promise.all(
      members.flatMap((member, i) => Array.from({ length: 8 }, () => gql(ENROL("id"), { input: { email: member.email, displayName: "Rush", externalId: cards[i] } }, till))),
    );
    expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
    expect(results.map((r) => r.data!.enrollMember.id)).toEqual(members.flatMap((member) => Array(8).fill(member.id)));
    for (const [i, member] of members.entries()) {
      expect((await ok(ACCOUNTS, { id: member.id }, asMember(member.id))).member.partnerAccounts).toEqual([{ partner: { id: x.id }, externalId: cards[i], status: "PENDING" }]);
    }
  });

  it("concurrent till enrolments of one new address make one member and one link", async () => {
    const email = `${unique("rush")}@example.com`;
    const results = await Promise.all(Array.from({ length: 20 }, () => gql(ENROL("id"), { input: { email, displayName: "Rush" } }, till)));
    expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
    const ids = new Set(results.map((r) => r.data!.enrollMember.id));
    expect(ids.size).toBe(1);
    const [id] = ids;
    expect((await ok(ACCOUNTS, { id }, asMember(id))).member.partnerAccounts).toHaveLength(1);
  });
});
