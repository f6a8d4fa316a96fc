import { anonymous, asAdmin, asMember, asPartnerApp, fails, gql, ok, unique } from "./support/gateway";

/** `viewer`: who the caller is, for any caller the gateway lets in, through the gateway. */
const VIEWER = `{ viewer { kind member { id displayName email balance { available } } partner { id name } } }`;

describe("viewer", () => {
  let memberId: string;
  let partnerId: string;
  let apiKey: string;
  beforeAll(async () => {
    const slug = unique("viewer");
    ({ registerPartner: { id: partnerId } } = await ok(`mutation($input: RegisterPartnerInput!) { registerPartner(input: $input) { id } }`, {
      input: { slug, name: "Viewer Test Books", category: "RETAIL", pointsPerUnit: 1, currency: "EUR", returnWindowDays: 0 },
    }));
    ({ issuePartnerApiKey: { key: apiKey } } = await ok(`mutation($id: ID!) { issuePartnerApiKey(partnerId: $id) { key } }`, { id: partnerId }));
    ({ enrollMember: { id: memberId } } = await ok(`mutation($input: EnrollMemberInput!) { enrollMember(input: $input) { id } }`, {
      input: { email: `${slug}@example.com`, displayName: "Vera Viewer" },
    }));
  });

  it("anonymous: ANONYMOUS, no member, no partner", async () => {
    expect(await ok(VIEWER, {}, anonymous)).toEqual({ viewer: { kind: "ANONYMOUS", member: null, partner: null } });
  });

  it("a member: MEMBER with their own Member, every field of it readable (no id needed to start from)", async () => {
    const { viewer } = await ok(VIEWER, {}, asMember(memberId));
    expect(viewer).toEqual({ kind: "MEMBER", member: { id: memberId, displayName: "Vera Viewer", email: expect.stringMatching(/^viewer-.*@example\.com$/), balance: { available: 0 } }, partner: null });
  });

  it("a member token of no member: MEMBER with a null member", async () => {
    const { viewer } = await ok(`{ viewer { kind member { id } } }`, {}, asMember("00000000-0000-4000-8000-000000000000"));
    expect(viewer).toEqual({ kind: "MEMBER", member: null });
  });

  it("a partner app: PARTNER with its own Partner (no partner id to configure)", async () => {
    expect(await ok(`{ viewer { kind member { id } partner { id name } } }`, {}, asPartnerApp(apiKey))).toEqual({
      viewer: { kind: "PARTNER", member: null, partner: { id: partnerId, name: "Viewer Test Books" } },
    });
  });

  it("an admin: ADMIN", async () => {
    expect(await ok(`{ viewer { kind member { id } partner { id } } }`, {}, asAdmin())).toEqual({ viewer: { kind: "ADMIN", member: null, partner: null } });
  });

  it("a wrong API key or token is UNAUTHENTICATED, never an anonymous viewer", async () => {
    await fails(`{ viewer { kind } }`, {}, "UNAUTHENTICATED", asPartnerApp("ck_not-a-real-key"));
    await fails(`{ viewer { kind } }`, {}, "UNAUTHENTICATED", { authorization: "Bearer not.a.token" });
    expect((await gql(`{ viewer { kind } }`, {}, anonymous)).errors).toBeUndefined();
  });
});
