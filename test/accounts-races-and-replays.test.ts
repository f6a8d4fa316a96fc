import { enrollMember, registerPartner } from "./support/fixtures";
import { asPartnerApp, gql, ok, unique } from "./support/gateway";

const ENROL = `mutation($input: EnrollMemberInput!) { enrollMember(input: $input) { id } }`;
const LINK = `mutation($input: LinkPartnerAccountInput!) { linkPartnerAccount(input: $input) { status } }`;
const LINES = `query($memberId: ID, $partnerId: ID) { auditLog(first: 100, memberId: $memberId, partnerId: $partnerId) { edges { node { service action outcome } } } }`;

describe("accounts: races and replays", () => {
  it("50 parallel admin enrolments of one address, in several spellings, make one member", async () => {
    const local = unique("josé");
    const spellings = [`${local}@example.com`, ` ${local.toUpperCase()}@EXAMPLE.com `, `${local.normalize("NFD")}@example.com`];
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => gql(ENROL, { input: { email: spellings[i % 3], displayName: "Race" } })));
    const codes = results.map((r) => r.errors?.[0]?.extensions?.code ?? "OK");
    expect(codes.filter((c) => c === "OK")).toHaveLength(1);
    expect(new Set(codes.filter((c) => c !== "OK"))).toEqual(new Set(["CONFLICT"]));
  });

  it("a partner app repeating the same link (nothing changes) adds no second audit line", async () => {
    const partner = await registerPartner();
    const member = await enrollMember();
    const { issuePartnerApiKey } = await ok(`mutation($id: ID!) { issuePartnerApiKey(partnerId: $id) { key } }`, { id: partner.id });
    const app = asPartnerApp(issuePartnerApiKey.key);
    const input = { memberId: member.id, partnerId: partner.id, externalId: unique("CARD") };
    await ok(LINK, { input }, app);
    await ok(LINK, { input }, app);
    const { auditLog } = await ok(LINES, { memberId: member.id, partnerId: partner.id });
    expect(auditLog.edges.map((e: { node: { action: string } }) => e.node.action).filter((a: string) => a === "LINK_PARTNER_ACCOUNT")).toHaveLength(1);
  });

  it("revoking a key twice revokes it once: one audit line, the first revocation's time", async () => {
    const partner = await registerPartner();
    const { issuePartnerApiKey } = await ok(`mutation($id: ID!) { issuePartnerApiKey(partnerId: $id) { id } }`, { id: partner.id });
    const revoke = `mutation($id: ID!) { revokePartnerApiKey(id: $id) { id revokedAt } }`;
    const first = (await ok(revoke, { id: issuePartnerApiKey.id })).revokePartnerApiKey;
    const again = (await ok(revoke, { id: issuePartnerApiKey.id })).revokePartnerApiKey;
    expect(again).toEqual(first);
    const { auditLog } = await ok(LINES, { partnerId: partner.id });
    expect(auditLog.edges.map((e: { node: { action: string } }) => e.node.action).filter((a: string) => a === "REVOKE_PARTNER_API_KEY")).toHaveLength(1);
  });
});
