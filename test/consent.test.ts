import { PROOF_HEADER, signProof } from "../shared/src/auth/proof";
import { enrollMember, recordPurchase, registerPartner, type PartnerFixture } from "./support/fixtures";
import { type Caller, anonymous, asAdmin, asMember, asPartnerApp, gql, ok, unique } from "./support/gateway";

const LINK = `mutation($input: LinkPartnerAccountInput!) { linkPartnerAccount(input: $input) { partner { id } externalId status } }`;
const APPROVE = `mutation($partnerId: ID!) { approvePartnerLink(partnerId: $partnerId) { partner { id } externalId status } }`;
const UNLINK = `mutation($partnerId: ID!, $memberId: ID) { unlinkPartnerAccount(partnerId: $partnerId, memberId: $memberId) }`;
const ACCOUNTS = `query($id: ID!) { member(id: $id) { partnerAccounts { partner { id } externalId status } } }`;

const codes = (result: { errors?: { extensions?: Record<string, unknown> }[] }) => result.errors?.map((e) => e.extensions?.code);

/**
 * A partner app sees a member only with the member's consent: a link its app makes is PENDING until
 * the member approves it, and ending a link takes every view away at once, on every path.
 */
describe("partner links need the member's consent", () => {
  let x: PartnerFixture;
  let y: PartnerFixture;
  let partnerX: Caller;
  let partnerY: Caller;
  const keyOf = async (partnerId: string) => (await ok(`mutation($id: ID!) { issuePartnerApiKey(partnerId: $id) { key } }`, { id: partnerId })).issuePartnerApiKey.key as string;

  beforeAll(async () => {
    [x, y] = [await registerPartner(), await registerPartner()];
    [partnerX, partnerY] = [asPartnerApp(await keyOf(x.id)), asPartnerApp(await keyOf(y.id))];
  });

  /** Everything partner X could read of a member, on each path: members' root field, and entities through members and through the ledger. */
  async function viewsOf(memberId: string) {
    const purchase = (selection: string) =>
      // A purchase needs no link; its entry's member is resolved through _entities, in members or in the ledger.
      gql(
        `mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { member { id ${selection} } } }`,
        { input: { partnerId: x.id, memberId, amountMinor: 100, currency: x.currency, reference: unique("r") } },
        partnerX,
      );
    return {
      root: await gql(`query($id: ID!) { member(id: $id) { id displayName tier balance { available } } }`, { id: memberId }, partnerX),
      viaMembers: await purchase("displayName"),
      viaLedgerTier: await purchase("tier"),
      viaLedgerBalance: await purchase("balance { available }"),
    };
  }

  function expectNoView(views: Awaited<ReturnType<typeof viewsOf>>): void {
    for (const result of Object.values(views)) {
      expect(codes(result)?.length).toBeGreaterThan(0);
      expect(codes(result)?.every((code) => code === "FORBIDDEN")).toBe(true);
    }
    const text = JSON.stringify(views);
    expect(text).not.toContain("Consenting Carol");
    expect(text).not.toMatch(/"available":\d|"tier":"/);
  }

  function expectView(views: Awaited<ReturnType<typeof viewsOf>>): void {
    for (const result of Object.values(views)) expect(result.errors).toBeUndefined();
    expect(views.root.data!.member).toMatchObject({ displayName: "Consenting Carol", tier: "BASE", balance: { available: expect.any(Number) } });
    expect(views.viaMembers.data!.recordPurchase.member.displayName).toBe("Consenting Carol");
    expect(views.viaLedgerTier.data!.recordPurchase.member.tier).toBe("BASE");
    expect(views.viaLedgerBalance.data!.recordPurchase.member.balance.available).toEqual(expect.any(Number));
  }

  it("a partner's link is PENDING and shows nothing; approved it shows the member; unlinked it shows nothing again, at once", async () => {
    const carol = await enrollMember({ displayName: "Consenting Carol" });
    await recordPurchase(x, carol.id, 5_000);
    const externalId = unique("card");

    const { linkPartnerAccount } = await ok(LINK, { input: { memberId: carol.id, partnerId: x.id, externalId } }, partnerX);
    expect(linkPartnerAccount).toEqual({ partner: { id: x.id }, externalId, status: "PENDING" });
    expectNoView(await viewsOf(carol.id));
    // The member sees the pending link, to approve it.
    expect((await ok(ACCOUNTS, { id: carol.id }, asMember(carol.id))).member.partnerAccounts).toEqual([{ partner: { id: x.id }, externalId, status: "PENDING" }]);

    expect((await ok(APPROVE, { partnerId: x.id }, asMember(carol.id))).approvePartnerLink).toEqual({ partner: { id: x.id }, externalId, status: "ACTIVE" });
    expectView(await viewsOf(carol.id));
    expect((await ok(APPROVE, { partnerId: x.id }, asMember(carol.id))).approvePartnerLink.status).toBe("ACTIVE"); // again: no change

    expect((await ok(UNLINK, { partnerId: x.id }, asMember(carol.id))).unlinkPartnerAccount).toBe(true);
    // Immediately, and still a few seconds later (no cache brings the view back).
    expectNoView(await viewsOf(carol.id));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expectNoView(await viewsOf(carol.id));
    expect((await ok(UNLINK, { partnerId: x.id }, asMember(carol.id))).unlinkPartnerAccount).toBe(false);
    expect((await ok(ACCOUNTS, { id: carol.id }, asMember(carol.id))).member.partnerAccounts).toEqual([]);

    // Linking again works, and a partner's replay starts a new PENDING link: it cannot bring the old consent back.
    expect((await ok(LINK, { input: { memberId: carol.id, partnerId: x.id, externalId } }, partnerX)).linkPartnerAccount.status).toBe("PENDING");
    expectNoView(await viewsOf(carol.id));
    await ok(APPROVE, { partnerId: x.id }, asMember(carol.id));
    expectView(await viewsOf(carol.id));
    // An admin can end it too, with the member's id.
    expect((await ok(UNLINK, { partnerId: x.id, memberId: carol.id })).unlinkPartnerAccount).toBe(true);
    expectNoView(await viewsOf(carol.id));
  });

  it("links the member or an admin makes are ACTIVE at once; the member repeating a pending link makes it ACTIVE", async () => {
    const own = await enrollMember();
    expect((await ok(LINK, { input: { memberId: own.id, partnerId: x.id, externalId: unique("card") } }, asMember(own.id))).linkPartnerAccount.status).toBe("ACTIVE");
    expect((await gql(`query($id: ID!) { member(id: $id) { displayName tier } }`, { id: own.id }, partnerX)).errors).toBeUndefined();

    const byAdmin = await enrollMember();
    expect((await ok(LINK, { input: { memberId: byAdmin.id, partnerId: x.id, externalId: unique("card") } })).linkPartnerAccount.status).toBe("ACTIVE");
    expect((await gql(`query($id: ID!) { member(id: $id) { displayName tier } }`, { id: byAdmin.id }, partnerX)).errors).toBeUndefined();

    const repeated = await enrollMember();
    const externalId = unique("card");
    expect((await ok(LINK, { input: { memberId: repeated.id, partnerId: x.id, externalId } }, partnerX)).linkPartnerAccount.status).toBe("PENDING");
    // A partner's own repeat never activates it.
    expect((await ok(LINK, { input: { memberId: repeated.id, partnerId: x.id, externalId } }, partnerX)).linkPartnerAccount.status).toBe("PENDING");
    expect((await ok(LINK, { input: { memberId: repeated.id, partnerId: x.id, externalId } }, asMember(repeated.id))).linkPartnerAccount.status).toBe("ACTIVE");
    // Once agreed, a partner's repeat does not take the consent back either.
    expect((await ok(LINK, { input: { memberId: repeated.id, partnerId: x.id, externalId } }, partnerX)).linkPartnerAccount.status).toBe("ACTIVE");
  });

  it("only the member approves, only for themself; partners cannot unlink; members unlink only their own links", async () => {
    const [a, b] = [await enrollMember(), await enrollMember()];
    await ok(LINK, { input: { memberId: a.id, partnerId: x.id, externalId: unique("card") } }, partnerX);
    await ok(LINK, { input: { memberId: b.id, partnerId: y.id, externalId: unique("card") } }, partnerY);

    expect(codes(await gql(APPROVE, { partnerId: x.id }, partnerX))).toEqual(["FORBIDDEN"]); // a partner approving its own link
    expect(codes(await gql(APPROVE, { partnerId: x.id }, asAdmin()))).toEqual(["FORBIDDEN"]); // consent is the member's alone
    expect(codes(await gql(APPROVE, { partnerId: x.id }, anonymous))).toEqual(["UNAUTHENTICATED"]);
    expect(codes(await gql(APPROVE, { partnerId: y.id }, asMember(a.id)))).toEqual(["NOT_FOUND"]); // A has no link with Y (B's is untouched)
    expect(codes(await gql(APPROVE, { partnerId: "nope" }, asMember(a.id)))).toEqual(["BAD_USER_INPUT"]);

    expect(codes(await gql(UNLINK, { partnerId: y.id, memberId: b.id }, asMember(a.id)))).toEqual(["FORBIDDEN"]);
    expect(codes(await gql(UNLINK, { partnerId: x.id, memberId: a.id }, partnerX))).toEqual(["FORBIDDEN"]);
    expect(codes(await gql(UNLINK, { partnerId: x.id }, partnerX))).toEqual(["FORBIDDEN"]);
    expect(codes(await gql(UNLINK, { partnerId: x.id }, anonymous))).toEqual(["UNAUTHENTICATED"]);
    const noMember = await gql(UNLINK, { partnerId: x.id }, asAdmin());
    expect(codes(noMember)).toEqual(["BAD_USER_INPUT"]);
    expect(noMember.errors?.[0].extensions?.field).toBe("memberId");
    // Both links are still there, still pending.
    expect((await ok(ACCOUNTS, { id: a.id }, asMember(a.id))).member.partnerAccounts).toEqual([expect.objectContaining({ partner: { id: x.id }, status: "PENDING" })]);
    expect((await ok(ACCOUNTS, { id: b.id }, asMember(b.id))).member.partnerAccounts).toEqual([expect.objectContaining({ partner: { id: y.id }, status: "PENDING" })]);
    // A member may name themself.
    expect((await ok(UNLINK, { partnerId: x.id, memberId: a.id }, asMember(a.id))).unlinkPartnerAccount).toBe(true);
  });

  it("50 concurrent link calls for one member make one link and no errors; racing approvals and unlinks fail cleanly", async () => {
    const member = await enrollMember();
    const externalId = unique("card");
    const input = { memberId: member.id, partnerId: x.id, externalId };
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => gql(LINK, { input }, i % 5 === 0 ? asMember(member.id) : partnerX)));
    expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
    const accounts = (await ok(ACCOUNTS, { id: member.id }, asMember(member.id))).member.partnerAccounts;
    expect(accounts).toEqual([{ partner: { id: x.id }, externalId, status: "ACTIVE" }]); // the member's own calls agreed to it

    const racing = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        i % 3 === 0 ? gql(LINK, { input }, partnerX) : i % 3 === 1 ? gql(APPROVE, { partnerId: x.id }, asMember(member.id)) : gql(UNLINK, { partnerId: x.id }, asMember(member.id)),
      ),
    );
    // Approving a link just ended is NOT_FOUND; nothing else may fail, and never with an internal error.
    expect(racing.flatMap((r) => codes(r) ?? []).filter((code) => code !== "NOT_FOUND")).toEqual([]);
    const left = (await ok(ACCOUNTS, { id: member.id }, asMember(member.id))).member.partnerAccounts;
    expect(left.length).toBeLessThanOrEqual(1);
  });

  it("concurrent first links of the same account make one link each and no errors, however the inserts meet in Postgres", async () => {
    // Two inserts of the same new link can meet on the (partner, account id) key before the
    // (member, partner) one its ON CONFLICT names; that once surfaced as a CONFLICT to one caller.
    const members = await Promise.all(Array.from({ length: 20 }, () => enrollMember()));
    const inputs = members.map((member) => ({ memberId: member.id, partnerId: y.id, externalId: unique("card") }));
    const results = await Promise.all(inputs.flatMap((input) => Array.from({ length: 8 }, () => gql(LINK, { input }, partnerY))));
    expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
    for (const [i, member] of members.entries()) {
      expect((await ok(ACCOUNTS, { id: member.id }, asMember(member.id))).member.partnerAccounts).toEqual([{ partner: { id: y.id }, externalId: inputs[i].externalId, status: "PENDING" }]);
    }
    // A real conflict is still one: another member cannot take the same account id.
    const other = await enrollMember();
    const taken = await gql(LINK, { input: { ...inputs[0], memberId: other.id } }, partnerY);
    expect(codes(taken)).toEqual(["CONFLICT"]);
    expect(taken.errors?.[0].extensions?.field).toBe("externalId");
  });

  it("members and the ledger never mark a member's data public, so the gateway's entity cache cannot keep a view", async () => {
    const member = await enrollMember();
    await ok(LINK, { input: { memberId: member.id, partnerId: x.id, externalId: unique("card") } });
    for (const [service, selection] of [["MEMBERS", "displayName"], ["LEDGER", "tier balance { available }"]]) {
      const proof = signProof({ kind: "partner", partnerId: x.id }, "gateway", process.env.TEST_GATEWAY_SECRET!, service.toLowerCase());
      const response = await fetch(process.env[`TEST_${service}_URL`]!, {
        method: "POST",
        headers: { "content-type": "application/json", [PROOF_HEADER]: proof },
        body: JSON.stringify({ query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Member { ${selection} } } }`, variables: { r: [{ __typename: "Member", id: member.id }] } }),
      });
      const body = (await response.json()) as { data?: { _entities: unknown[] }; errors?: unknown[] };
      expect(body.errors).toBeUndefined(); // the link is ACTIVE: the partner sees it, privately
      expect(response.headers.get("cache-control") ?? "").not.toMatch(/public/i);
    }
  });
});
