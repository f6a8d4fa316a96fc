import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type GraphQLObjectType, buildSchema, parse, visit } from "graphql";
import { signToken } from "../shared/src/auth/jwt";
import { type Identity, PROOF_HEADER, signProof } from "../shared/src/auth/proof";
import { bearer } from "../tools/stack/graphql-client";
import { createCampaign } from "./support/campaigns";
import { createReward, enrollMember, recordPurchase, registerPartner } from "./support/fixtures";
import { type Caller, anonymous, asAdmin, asMember, asPartnerApp, gql, ok, unique } from "./support/gateway";

type Role = "anonymous" | "memberA" | "memberB" | "partnerX" | "partnerY" | "admin";
const ROLES: Role[] = ["anonymous", "memberA", "memberB", "partnerX", "partnerY", "admin"];
const allowed = (...roles: Role[]) => Object.fromEntries(ROLES.map((role) => [role, roles.includes(role)])) as Record<Role, boolean>;

/**
 * Who may see and do what, through the gateway: each role against each sensitive field and mutation.
 * Member A is linked to partner X; member B to partner Y.
 */
describe("access rules", () => {
  const ids: Record<string, string> = {};
  const callers = {} as Record<Role, Caller>;

  beforeAll(async () => {
    const x = await registerPartner({ pointsPerUnit: 1 });
    const y = await registerPartner({ pointsPerUnit: 1 });
    const a = await enrollMember();
    const b = await enrollMember();
    const purchases: Record<string, { id: string; reference: string }> = {};
    for (const [member, partner] of [[a, x], [b, y]] as const) {
      await ok(`mutation($input: LinkPartnerAccountInput!) { linkPartnerAccount(input: $input) { externalId } }`, { input: { memberId: member.id, partnerId: partner.id, externalId: unique("card") } });
      purchases[partner.id] = await recordPurchase(partner, member.id, 500_000);
    }
    const campaign = await createCampaign({ fundedByPartnerId: x.id, partnerIds: [x.id], bonusPoints: 5, budgetPoints: 1_000 });
    const reward = await createReward(x.id, { costPoints: 10 });
    const keyOf = async (partnerId: string) => (await ok(`mutation($id: ID!) { issuePartnerApiKey(partnerId: $id) { key } }`, { id: partnerId })).issuePartnerApiKey.key;
    const [keyX, keyY] = [await keyOf(x.id), await keyOf(y.id)];
    Object.assign(ids, { keyX, keyY });
    Object.assign(callers, { anonymous, memberA: asMember(a.id), memberB: asMember(b.id), partnerX: asPartnerApp(keyX), partnerY: asPartnerApp(keyY), admin: asAdmin() });
    const { redeemReward } = await ok(`mutation($input: RedeemRewardInput!) { redeemReward(input: $input) { id voucherCode } }`, { input: { memberId: a.id, rewardId: reward.id, idempotencyKey: unique("key") } }, callers.memberA);
    Object.assign(ids, { x: x.id, y: y.id, a: a.id, b: b.id, aEmail: a.email, reward: reward.id, redemption: redeemReward.id, voucher: redeemReward.voucherCode, xCurrency: x.currency, xPurchase: purchases[x.id].reference, aEntry: purchases[x.id].id, campaign: campaign.id });
  });

  const now = () => new Date().toISOString();
  const reads: [string, string, () => Record<string, unknown>, Record<Role, boolean>][] = [
    ["member's name", `query($id: ID!) { member(id: $id) { id displayName } }`, () => ({ id: ids.a }), allowed("memberA", "partnerX", "admin")],
    ["member's email", `query($id: ID!) { member(id: $id) { email } }`, () => ({ id: ids.a }), allowed("memberA", "admin")],
    ["member's linked accounts", `query($id: ID!) { member(id: $id) { partnerAccounts { externalId } } }`, () => ({ id: ids.a }), allowed("memberA", "admin")],
    ["member's available points and tier", `query($id: ID!) { member(id: $id) { balance { available } tier } }`, () => ({ id: ids.a }), allowed("memberA", "partnerX", "admin")],
    ["member's points at each brand", `query($id: ID!) { member(id: $id) { balance { byPartner { earned } } } }`, () => ({ id: ids.a }), allowed("memberA", "admin")],
    ["member's pending and lifetime points", `query($id: ID!) { member(id: $id) { balance { pending lifetimeEarned } } }`, () => ({ id: ids.a }), allowed("memberA", "admin")],
    ["member's tier progress", `query($id: ID!) { member(id: $id) { tierProgress { qualifyingPoints } } }`, () => ({ id: ids.a }), allowed("memberA", "admin")],
    ["member's activity", `query($id: ID!) { member(id: $id) { activity { edges { node { points } } } } }`, () => ({ id: ids.a }), allowed("memberA", "admin")],
    ["member's redemptions and vouchers", `query($id: ID!) { member(id: $id) { redemptions { voucherCode } } }`, () => ({ id: ids.a }), allowed("memberA", "admin")],
    ["member's eligible rewards", `query($id: ID!) { member(id: $id) { eligibleRewards(first: 1) { id } } }`, () => ({ id: ids.a }), allowed("memberA", "admin")],
    ["member by email", `query($e: String!) { memberByEmail(email: $e) { id } }`, () => ({ e: ids.aEmail }), allowed("memberA", "admin")],
    ["member by an unknown email", `query($e: String!) { memberByEmail(email: $e) { id } }`, () => ({ e: "nobody-at-all@example.com" }), allowed("admin")],
    ["an unknown member id", `query($id: ID!) { member(id: $id) { id } }`, () => ({ id: "00000000-0000-4000-8000-000000000000" }), allowed("admin")],
    ["the member list", `{ members(first: 3) { id } }`, () => ({}), allowed("admin")],
    ["the partner list and catalog", `{ partners { id } rewards(first: 3) { id title } }`, () => ({}), allowed(...ROLES)],
    ["a partner, a reward and the catalog page by page", `query($p: ID!, $r: ID!) { partner(id: $p) { name rewards { id } } reward(id: $r) { title } rewardsConnection(first: 2) { edges { node { id } } } }`, () => ({ p: ids.x, r: ids.reward }), allowed(...ROLES)],
    ["who is calling", `{ viewer { kind } }`, () => ({}), allowed(...ROLES)],
    ["a partner's settlement", `query($id: ID!, $from: DateTimeISO!, $to: DateTimeISO!) { partner(id: $id) { settlement(from: $from, to: $to) { pointsIssued } } }`, () => ({ id: ids.x, from: "2026-01-01T00:00:00Z", to: now() }), allowed("partnerX", "admin")],
    // Fields added since the first matrix: every member-private and partner-private field, root and nested.
    ["member's enrolment date", `query($id: ID!) { member(id: $id) { enrolledAt } }`, () => ({ id: ids.a }), allowed("memberA", "admin")],
    ["member's referral code", `query($id: ID!) { member(id: $id) { referralCode } }`, () => ({ id: ids.a }), allowed("memberA", "admin")],
    ["member's offers", `query($id: ID!) { member(id: $id) { offers { id name } } }`, () => ({ id: ids.a }), allowed("memberA", "admin")],
    ["member's offers, paged", `query($id: ID!) { member(id: $id) { offersConnection(first: 2) { edges { node { id } } } } }`, () => ({ id: ids.a }), allowed("memberA", "admin")],
    ["member's held and expiring points", `query($id: ID!) { member(id: $id) { balance { held lifetimeRedeemed expiringSoon { points } } } }`, () => ({ id: ids.a }), allowed("memberA", "admin")],
    ["member's eligible rewards, paged", `query($id: ID!) { member(id: $id) { eligibleRewardsConnection(first: 1) { edges { node { id } } } } }`, () => ({ id: ids.a }), allowed("memberA", "admin")],
    ["member's redemptions, paged", `query($id: ID!) { member(id: $id) { redemptionsConnection(first: 5) { edges { node { voucherCode } } } } }`, () => ({ id: ids.a }), allowed("memberA", "admin")],
    ["member's data export", `query($id: ID!) { member(id: $id) { dataExport } }`, () => ({ id: ids.a }), allowed("memberA", "admin")],
    ["member's activity with adjustments and campaigns", `query($id: ID!) { member(id: $id) { activity(first: 5) { edges { node { kind adjustment { reason } bonuses { points } } } } } }`, () => ({ id: ids.a }), allowed("memberA", "admin")],
    ["the member list, paged", `{ membersConnection(first: 3) { edges { node { id } } } }`, () => ({}), allowed("admin")],
    ["a partner's terms", `query($id: ID!) { partner(id: $id) { terms { version } } }`, () => ({ id: ids.x }), allowed("partnerX", "admin")],
    ["a partner's terms history", `query($id: ID!) { partner(id: $id) { termsHistory { version } } }`, () => ({ id: ids.x }), allowed("partnerX", "admin")],
    ["a partner's statement", `query($id: ID!, $p: String!) { partner(id: $id) { statement(period: $p) { netAmount counterparts { pointsIssuedRedeemedThere } } } }`, () => ({ id: ids.x, p: now().slice(0, 7) }), allowed("partnerX", "admin")],
    ["a partner's prepaid points", `query($id: ID!) { partner(id: $id) { prepaidPointsRemaining } }`, () => ({ id: ids.x }), allowed("partnerX", "admin")],
    ["a partner's liability", `query($id: ID!) { partner(id: $id) { liability { pointsOutstanding value } } }`, () => ({ id: ids.x }), allowed("partnerX", "admin")],
    ["a partner's insights", `query($id: ID!, $from: DateTimeISO!, $to: DateTimeISO!) { partner(id: $id) { insights(from: $from, to: $to) { linkedMembers } } }`, () => ({ id: ids.x, ...lastMonth() }), allowed("partnerX", "admin")],
    ["a partner's campaigns", `query($id: ID!) { campaigns(partnerId: $id) { id pointsAwarded } }`, () => ({ id: ids.x }), allowed("partnerX", "admin")],
    ["a partner's campaigns, paged", `query($id: ID!) { campaignsConnection(partnerId: $id, first: 2) { edges { node { id } } } }`, () => ({ id: ids.x }), allowed("partnerX", "admin")],
    ["every campaign", `{ campaigns { id } }`, () => ({}), allowed("admin")],
    ["every campaign, paged", `{ campaignsConnection(first: 2) { edges { node { id } } } }`, () => ({}), allowed("admin")],
    ["the audit trail", `{ auditLog(first: 1) { edges { node { actor } } } }`, () => ({}), allowed("admin")],
    ["the clearing report", `query($p: String!) { clearing(period: $p) { moneyIn statements { netAmount } } }`, () => ({ p: now().slice(0, 7) }), allowed("admin")],
    ["the coalition's liability", `{ coalitionLiability { pointsOutstanding } }`, () => ({}), allowed("admin")],
  ];
  const lastMonth = () => {
    const today = new Date();
    return { from: new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 1, 1)).toISOString(), to: new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 1)).toISOString() };
  };

  describe.each(reads)("reading %s", (_what, query, variables, expected) => {
    it.each(ROLES)("as %s", async (role) => {
      const result = await gql(query, variables(), callers[role]);
      if (expected[role]) {
        expect(result.errors).toBeUndefined();
      } else {
        // One error per field refused: fields a caller may not read are nullable, so each answers its own.
        const codes = new Set(result.errors?.map((e) => e.extensions?.code));
        expect([...codes]).toEqual([role === "anonymous" ? "UNAUTHENTICATED" : "FORBIDDEN"]);
        expect(JSON.stringify(result.data ?? {})).not.toMatch(/@example\.com|"available":\d|voucher/);
        // A denial says who may (the rule), so a developer knows which token to use.
        if (role !== "anonymous") for (const error of result.errors ?? []) expect(error.message).toMatch(/^Only .+ may (do|see) this/);
      }
    });
  });

  const writes: [string, string, () => Record<string, unknown>, Record<Role, boolean>][] = [
    ["record a purchase at X", `mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { id } }`, () => ({ input: { partnerId: ids.x, memberId: ids.a, amountMinor: 100, currency: ids.xCurrency, reference: unique("r") } }), allowed("partnerX", "admin")],
    ["create a reward at X", `mutation($input: CreateRewardInput!) { createReward(input: $input) { id } }`, () => ({ input: { partnerId: ids.x, title: "T", costPoints: 5 } }), allowed("partnerX", "admin")],
    ["redeem for member A", `mutation($input: RedeemRewardInput!) { redeemReward(input: $input) { id } }`, () => ({ input: { memberId: ids.a, rewardId: ids.reward, idempotencyKey: unique("k") } }), allowed("memberA", "admin")],
    ["transfer from member A", `mutation($input: TransferPointsInput!) { transferPoints(input: $input) { id } }`, () => ({ input: { fromMemberId: ids.a, toMemberId: ids.b, points: 1, idempotencyKey: unique("t") } }), allowed("memberA", "admin")],
    ["register a partner", `mutation($input: RegisterPartnerInput!) { registerPartner(input: $input) { id } }`, () => ({ input: { slug: unique("p"), name: "P", category: "OTHER", pointsPerUnit: 1, currency: "EUR" } }), allowed("admin")],
    ["issue an API key", `mutation($id: ID!) { issuePartnerApiKey(partnerId: $id) { id } }`, () => ({ id: ids.x }), allowed("admin")],
    ["link member A at X", `mutation($input: LinkPartnerAccountInput!) { linkPartnerAccount(input: $input) { externalId } }`, () => ({ input: { memberId: ids.a, partnerId: ids.x, externalId: "ignored" } }), allowed("memberA", "partnerX", "admin")],
    // Writes added since the first matrix.
    ["refund a purchase at X", `mutation($input: ReversePurchaseInput!) { reversePurchase(input: $input) { id } }`, () => ({ input: { partnerId: ids.x, reference: ids.xPurchase, amountMinor: 1, refundReference: unique("refund") } }), allowed("partnerX", "admin")],
    ["create a campaign funded by X", `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`, () => ({ input: { name: unique("c"), fundedByPartnerId: ids.x, partnerIds: [ids.x], bonusPoints: 1, budgetPoints: 10, startsAt: now(), endsAt: new Date(Date.now() + 86_400_000).toISOString() } }), allowed("partnerX", "admin")],
    ["adjust member A's points", `mutation($input: AdjustPointsInput!) { adjustPoints(input: $input) { id } }`, () => ({ input: { memberId: ids.a, points: 1, reason: "GOODWILL", note: "matrix", idempotencyKey: unique("adj") } }), allowed("admin")],
    ["set X's terms", `mutation($input: SetPartnerTermsInput!) { setPartnerTerms(input: $input) { version } }`, () => ({ input: { partnerId: ids.x, issuePricePer1000: 0, redemptionPricePer1000: 0, breakageSharePercent: 0, billing: "POSTPAID", effectiveFrom: new Date(Date.now() + 365 * 86_400_000 + Math.floor(Math.random() * 1e9)).toISOString() } }), allowed("admin")],
    // A month not over yet: an admin gets past the rule to BAD_USER_INPUT, and nothing is closed under the other tests.
    ["close a settlement period", `mutation { closeSettlementPeriod(period: "2999-01") { status } }`, () => ({}), allowed("admin")],
    ["top up X's prepaid points", `mutation($input: AddPrepaidPointsInput!) { addPrepaidPoints(input: $input) { id } }`, () => ({ input: { partnerId: ids.x, points: 10, reference: unique("topup") } }), allowed("admin")],
    ["enrol a member", `mutation($input: EnrollMemberInput!) { enrollMember(input: $input) { id } }`, () => ({ input: { email: `${unique("enrol")}@example.com`, displayName: "New" } }), allowed("partnerX", "partnerY", "admin")],
    ["revoke an API key", `mutation($id: ID!) { revokePartnerApiKey(id: $id) { id } }`, () => ({ id: "00000000-0000-4000-8000-000000000000" }), allowed("admin")],
    ["approve a link for member A", `mutation($p: ID!) { approvePartnerLink(partnerId: $p) { status } }`, () => ({ p: ids.x }), allowed("memberA", "memberB")],
  ];

  describe.each(writes)("trying to %s", (_what, mutation, variables, expected) => {
    it.each(ROLES)("as %s", async (role) => {
      const result = await gql(mutation, variables(), callers[role]);
      const code = result.errors?.[0]?.extensions?.code;
      if (expected[role]) expect(["FORBIDDEN", "UNAUTHENTICATED"]).not.toContain(code); // allowed (it may still be a CONFLICT)
      else expect(code).toBe(role === "anonymous" ? "UNAUTHENTICATED" : "FORBIDDEN");
    });
  });

  it("a denial names the rule, never a fact: another member's address and an unknown one read alike", async () => {
    const BY_EMAIL = `query($e: String!) { memberByEmail(email: $e) { id } }`;
    const enrolled = await gql(BY_EMAIL, { e: ids.aEmail }, callers.memberB);
    const unknown = await gql(BY_EMAIL, { e: "nobody-at-all@example.com" }, callers.memberB);
    expect(enrolled.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([["FORBIDDEN", "Only the member themself and admins may do this"]]);
    expect(unknown.errors?.map((e) => [e.extensions?.code, e.message])).toEqual(enrolled.errors?.map((e) => [e.extensions?.code, e.message]));
    const settlement = await gql(`query($id: ID!) { partner(id: $id) { settlement(from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z") { pointsIssued } } }`, { id: ids.x }, callers.partnerY);
    expect(settlement.errors?.[0]?.message).toBe("Only this partner's own apps and admins may do this");
  });

  it("vouchers: only the offering partner marks one used; only its member cancels", async () => {
    const USED = `mutation($code: String!) { markVoucherUsed(code: $code) { id } }`;
    const CANCEL = `mutation($id: ID!) { cancelRedemption(id: $id) { status } }`;
    expect((await gql(USED, { code: ids.voucher }, callers.partnerY)).errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    expect((await gql(USED, { code: ids.voucher }, callers.memberA)).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await gql(CANCEL, { id: ids.redemption }, callers.memberB)).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await gql(CANCEL, { id: ids.redemption }, callers.partnerX)).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await ok(CANCEL, { id: ids.redemption }, callers.memberA)).cancelRedemption.status).toBe("CANCELLED");
  });

  it("campaigns: another partner's campaign and no campaign read alike; members may not end one", async () => {
    const END = `mutation($id: ID!) { endCampaign(id: $id) { status } }`;
    const answer = async (id: string, role: Role) => (await gql(END, { id }, callers[role])).errors?.map((e) => [e.extensions?.code, e.message.replace(id, "<id>")]);
    const unknown = "00000000-0000-4000-8000-000000000000";
    expect(await answer(ids.campaign, "partnerY")).toEqual([["NOT_FOUND", "No campaign with id <id>"]]);
    expect(await answer(unknown, "partnerY")).toEqual(await answer(ids.campaign, "partnerY"));
    for (const role of ["memberA", "memberB"] as Role[]) expect((await answer(ids.campaign, role))?.map(([code]) => code)).toEqual(["FORBIDDEN"]);
    expect((await answer(ids.campaign, "anonymous"))?.map(([code]) => code)).toEqual(["UNAUTHENTICATED"]);
    expect((await ok(END, { id: ids.campaign }, callers.partnerX)).endCampaign.status).toBe("ENDED");
    expect((await ok(END, { id: ids.campaign }, callers.admin)).endCampaign.status).toBe("ENDED");
  });

  it("erasure and unlinking: only the member themself (and admins) erase a member or end their link", async () => {
    const c = await enrollMember();
    await ok(`mutation($input: LinkPartnerAccountInput!) { linkPartnerAccount(input: $input) { status } }`, { input: { memberId: c.id, partnerId: ids.x, externalId: unique("card") } });
    const ERASE = `mutation($id: ID!) { eraseMember(id: $id) }`;
    const UNLINK = `mutation($p: ID!, $m: ID) { unlinkPartnerAccount(partnerId: $p, memberId: $m) }`;
    const code = async (query: string, variables: Record<string, unknown>, role: Role) => (await gql(query, variables, callers[role])).errors?.map((e) => e.extensions?.code);
    for (const role of ["anonymous", "memberA", "memberB", "partnerX", "partnerY"] as Role[]) {
      const denied = [role === "anonymous" ? "UNAUTHENTICATED" : "FORBIDDEN"];
      expect([role, await code(UNLINK, { p: ids.x, m: c.id }, role)]).toEqual([role, denied]);
      expect([role, await code(ERASE, { id: c.id }, role)]).toEqual([role, denied]);
      // A member that does not exist reads the same.
      expect([role, await code(ERASE, { id: "00000000-0000-4000-8000-000000000000" }, role)]).toEqual([role, denied]);
    }
    expect((await ok(`query($id: ID!) { member(id: $id) { displayName } }`, { id: c.id }, callers.partnerX)).member.displayName).toBeTruthy();
    expect((await ok(ERASE, { id: c.id }, asMember(c.id))).eraseMember).toBe(true);
  });

  it("the matrix names every root field of the public API, and every field of Member and Partner", () => {
    const schema = buildSchema(readFileSync(join(__dirname, "..", "gateway", "schema.graphql"), "utf8"));
    // Checked by the tests above beside the matrix.
    const elsewhere = ["markVoucherUsed", "cancelRedemption", "endCampaign", "eraseMember", "unlinkPartnerAccount"];
    const named = new Set(elsewhere);
    for (const [, operation] of [...reads, ...writes]) {
      visit(parse(operation), { Field: (node) => void named.add(node.name.value) });
    }
    const missing = (fields: string[]) => fields.filter((field) => !named.has(field));
    expect(missing(Object.keys(schema.getQueryType()!.getFields()))).toEqual([]);
    expect(missing(Object.keys(schema.getMutationType()!.getFields()))).toEqual([]);
    for (const type of ["Member", "Partner", "PointsBalance"]) {
      expect([type, missing(Object.keys((schema.getType(type) as GraphQLObjectType).getFields()).filter((f) => !["id", "slug", "category", "pointsPerUnit", "currency", "returnWindowDays", "createdAt"].includes(f)))]).toEqual([type, []]);
    }
  });

  it("refuses bad credentials instead of treating them as anonymous", async () => {
    const query = `{ partners { id } }`;
    const secret = process.env.TEST_JWT_SECRET!;
    for (const caller of [
      bearer("not-a-token"),
      bearer(signToken({ sub: ids.a, role: "member" }, "another-secret-that-is-long-enough-123")),
      bearer(signToken({ sub: ids.a, role: "member" }, secret, -60)),
      { authorization: "Basic abc" },
      asPartnerApp("ck_unknown"),
    ]) {
      expect((await gql(query, {}, caller)).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    }
    const { issuePartnerApiKey } = await ok(`mutation($id: ID!) { issuePartnerApiKey(partnerId: $id) { id key } }`, { id: ids.y });
    await ok(`mutation($id: ID!) { revokePartnerApiKey(id: $id) { revokedAt } }`, { id: issuePartnerApiKey.id });
    expect((await gql(query, {}, asPartnerApp(issuePartnerApiKey.key))).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("the rules hold on entity references too (_entities), not only on root fields", async () => {
    // What a query plan would send the members subgraph on member B's behalf, asking for member A's email.
    const response = await fetch(process.env.TEST_MEMBERS_URL!, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        [PROOF_HEADER]: signProof({ kind: "member", memberId: ids.b }, "gateway", process.env.TEST_GATEWAY_SECRET!, "members"),
      },
      body: JSON.stringify({ query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Member { email } } }`, variables: { r: [{ __typename: "Member", id: ids.a }] } }),
    });
    const body = (await response.json()) as { data?: { _entities: unknown[] }; errors?: { extensions?: { code?: string } }[] };
    expect(body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(JSON.stringify(body)).not.toContain("@example.com");
  });

  it("every entity a subgraph resolves by reference keeps its rules: another member's ledger entry or redemption reads like one that does not exist", async () => {
    // What a query plan would send on each caller's behalf, were any plan to fetch these entities by reference.
    const entities = async (service: string, identity: Identity, typename: string, id: string, selection: string) => {
      const response = await fetch(process.env[`TEST_${service.toUpperCase()}_URL`]!, {
        method: "POST",
        headers: { "content-type": "application/json", [PROOF_HEADER]: signProof(identity, "gateway", process.env.TEST_GATEWAY_SECRET!, service) },
        body: JSON.stringify({ query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on ${typename} { ${selection} } } }`, variables: { r: [{ __typename: typename, id }] } }),
      });
      return (await response.json()) as { data?: { _entities: unknown[] }; errors?: { message: string; extensions?: { code?: string } }[] };
    };
    const unknownId = "00000000-0000-4000-8000-000000000000";
    const cases: [service: string, typename: string, id: string, selection: string, alsoAllowed: Identity[]][] = [
      ["ledger", "LedgerEntry", ids.aEntry, "kind points reference occurredAt partner { id } member { id }", []],
      ["catalog", "Redemption", ids.redemption, "pointsSpent status createdAt member { id } reward { id }", [{ kind: "partner", partnerId: ids.x }]],
    ];
    for (const [service, typename, id, selection, alsoAllowed] of cases) {
      for (const identity of [{ kind: "member", memberId: ids.a }, { kind: "admin", subject: "test" }, ...alsoAllowed] as Identity[]) {
        const allowedAnswer = await entities(service, identity, typename, id, selection);
        expect([typename, identity.kind, allowedAnswer.errors]).toEqual([typename, identity.kind, undefined]);
        expect(allowedAnswer.data?._entities[0]).not.toBeNull();
      }
      for (const identity of [{ kind: "member", memberId: ids.b }, { kind: "partner", partnerId: ids.y }, { kind: "anonymous" }] as Identity[]) {
        const denied = await entities(service, identity, typename, id, selection);
        expect([typename, identity.kind, denied.errors?.map((e) => e.extensions?.code)]).toEqual([typename, identity.kind, [identity.kind === "anonymous" ? "UNAUTHENTICATED" : "FORBIDDEN"]]);
        expect(denied.data?._entities).toEqual([null]);
        // "Not yours" and "does not exist" read alike.
        const unknown = await entities(service, identity, typename, unknownId, selection);
        expect(unknown.errors?.map((e) => [e.extensions?.code, e.message])).toEqual(denied.errors?.map((e) => [e.extensions?.code, e.message]));
      }
    }
  });

  it("logs hold no secret, API key, key hash or email", async () => {
    const logs = readFileSync(process.env.TEST_SERVICES_LOG!, "utf8");
    const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");
    const secrets = [process.env.TEST_JWT_SECRET!, process.env.TEST_GATEWAY_SECRET!, process.env.TEST_SERVICE_SECRET!, ids.keyX, ids.keyY, sha256(ids.keyX), ids.aEmail];
    for (const secret of secrets) expect(logs.includes(secret)).toBe(false);
  });
});
