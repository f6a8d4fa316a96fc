import { once } from "node:events";
import { buildClientSchema, getIntrospectionQuery, isNonNullType, isObjectType } from "graphql";
import { createReward, enrollMember, registerPartner } from "./support/fixtures";
import { type Caller, anonymous, asMember, asPartnerApp, gql, ok } from "./support/gateway";
import { useDedicatedStack } from "./support/dedicated-stack";
import { requestGraphQL } from "../tools/stack/graphql-client";

/**
 * A partner's private fields (its own apps and admins only) are nullable: a caller who may not read
 * one gets it null with its own FORBIDDEN (UNAUTHENTICATED when anonymous) at its path, and the
 * partner's public fields still read. Before, they were non-null, so the refusal nulled the whole
 * partner, and through `Reward.partner` (non-null) the reward and the whole `rewards` list.
 */
describe("fields a caller may not read are nullable (Partner)", () => {
  // Every private field of Partner, each with arguments that would be valid for its own app.
  const PRIVATE = ["terms", "termsHistory", "statement", "prepaidPointsRemaining", "liability", "settlement", "insights"];
  const SELECTION = `
    terms { version }
    termsHistory { version }
    statement(period: "2026-01") { netAmount }
    prepaidPointsRemaining
    liability { pointsOutstanding }
    settlement(from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z") { pointsIssued }
    insights(from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z") { linkedMembers }`;
  const PARTNER = `query($id: ID!) { partner(id: $id) { id name ${SELECTION} } }`;
  const REWARDS = `query($p: ID!) { rewards(partnerId: $p) { id title partner { id name prepaidPointsRemaining statement(period: "2026-01") { netAmount } } } }`;

  let x: { id: string; name: string };
  let rewardIds: string[];
  const callers = {} as Record<"memberA" | "partnerX" | "partnerY", Caller>;

  beforeAll(async () => {
    const partnerX = await registerPartner({ pointsPerUnit: 1 });
    const partnerY = await registerPartner({ pointsPerUnit: 1 });
    x = { id: partnerX.id, name: (await ok(`query($id: ID!) { partner(id: $id) { name } }`, { id: partnerX.id })).partner.name };
    // Cheapest first: the list's order is the order created here.
    rewardIds = [(await createReward(x.id, { costPoints: 10 })).id, (await createReward(x.id, { costPoints: 20 })).id];
    const keyOf = async (partnerId: string) => (await ok(`mutation($id: ID!) { issuePartnerApiKey(partnerId: $id) { key } }`, { id: partnerId })).issuePartnerApiKey.key;
    Object.assign(callers, { memberA: asMember((await enrollMember()).id), partnerX: asPartnerApp(await keyOf(x.id)), partnerY: asPartnerApp(await keyOf(partnerY.id)) });
  });

  const errorsOf = (result: { errors?: readonly { path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[] }) =>
    (result.errors ?? []).map((e) => [e.path, e.extensions?.code]).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

  it.each([
    ["another partner's app", "partnerY", "FORBIDDEN"],
    ["a member", "memberA", "FORBIDDEN"],
    ["an anonymous caller", "anonymous", "UNAUTHENTICATED"],
  ] as const)("%s reading a partner's private fields gets its public ones, and one error at each private field's path", async (_who, role, code) => {
    const result = await gql(PARTNER, { id: x.id }, role === "anonymous" ? anonymous : callers[role]);
    expect(result.data).toEqual({ partner: { id: x.id, name: x.name, ...Object.fromEntries(PRIVATE.map((f) => [f, null])) } });
    expect(errorsOf(result)).toEqual(PRIVATE.map((f) => [["partner", f], code]).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))));
  });

  it("a member reading the catalog with a private partner field keeps every reward and its partner's name", async () => {
    const result = await gql(REWARDS, { p: x.id }, callers.memberA);
    expect(result.data?.rewards.map((r: any) => r.id)).toEqual(rewardIds);
    for (const reward of result.data!.rewards) expect(reward.partner).toEqual({ id: x.id, name: x.name, prepaidPointsRemaining: null, statement: null });
    expect(errorsOf(result)).toEqual(
      [0, 1].flatMap((i) => [
        [["rewards", i, "partner", "prepaidPointsRemaining"], "FORBIDDEN"],
        [["rewards", i, "partner", "statement"], "FORBIDDEN"],
      ]),
    );
  });

  it("the partner's own app reads them all, without errors", async () => {
    const { partner } = await ok(PARTNER, { id: x.id }, callers.partnerX);
    expect(partner).toMatchObject({ id: x.id, name: x.name, termsHistory: [], prepaidPointsRemaining: 0, liability: { pointsOutstanding: 0 }, settlement: { pointsIssued: 0 } });
  });

  it("an argument its own app gets wrong nulls that field alone (BAD_USER_INPUT at its path)", async () => {
    const result = await gql(`query($id: ID!) { partner(id: $id) { name statement(period: "January") { netAmount } } }`, { id: x.id }, callers.partnerX);
    expect(result.data).toEqual({ partner: { name: x.name, statement: null } });
    expect(errorsOf(result)).toEqual([[["partner", "statement"], "BAD_USER_INPUT"]]);
  });

  it("every Partner field but its public ones is nullable (a new private field must be too)", async () => {
    const api = buildClientSchema(await ok(getIntrospectionQuery()));
    const partner = api.getType("Partner");
    if (!isObjectType(partner)) throw new Error("no Partner type");
    const nonNull = Object.values(partner.getFields()).filter((f) => isNonNullType(f.type)).map((f) => f.name).sort();
    expect(nonNull).toEqual(["category", "createdAt", "currency", "id", "name", "pointsPerUnit", "returnWindowDays", "rewards", "slug"]);
  });
});

/**
 * The same fields are the ledger's (an extension of Partner there): with the ledger down, each is null
 * with UPSTREAM_UNAVAILABLE at its path and the partner, and a reward it offers, still read, as the
 * ledger's Member fields do (issue 20). Before, the outage nulled the whole partner and the catalog list.
 */
describe("a partner's ledger fields while the ledger is down", () => {
  const dedicated = useDedicatedStack("privatefields");
  const post = async (query: string, variables: Record<string, unknown>) => {
    const response = await fetch(dedicated.stack.gatewayUrl, { method: "POST", headers: { "content-type": "application/json", ...dedicated.admin() }, body: JSON.stringify({ query, variables }) });
    return { status: response.status, body: (await response.json()) as any };
  };

  it("the partner and its rewards read; each ledger field is null with its own error", async () => {
    const admin = (query: string, variables: Record<string, unknown> = {}) => requestGraphQL<any>(dedicated.stack.gatewayUrl, query, variables, dedicated.admin());
    const { registerPartner } = await admin(`mutation { registerPartner(input: { slug: "private-fields", name: "Private Fields", category: OTHER, pointsPerUnit: 1, currency: "EUR", returnWindowDays: 0 }) { id } }`);
    const { createReward } = await admin(`mutation($p: ID!) { createReward(input: { partnerId: $p, title: "R", description: "R", costPoints: 10, minimumTier: BASE }) { id } }`, { p: registerPartner.id });
    const { ledger } = dedicated.stack.services;
    ledger.child.kill("SIGKILL");
    await once(ledger.child, "exit");

    const one = await post(`query($id: ID!) { partner(id: $id) { name prepaidPointsRemaining liability { value } } }`, { id: registerPartner.id });
    expect(one.status).toBe(200);
    expect(one.body.data).toEqual({ partner: { name: "Private Fields", prepaidPointsRemaining: null, liability: null } });
    expect(one.body.errors.map((e: any) => [e.path, e.extensions.code])).toEqual([
      [["partner", "prepaidPointsRemaining"], "UPSTREAM_UNAVAILABLE"],
      [["partner", "liability"], "UPSTREAM_UNAVAILABLE"],
    ]);

    const list = await post(`query($p: ID!) { rewards(partnerId: $p) { id partner { name termsHistory { version } } } }`, { p: registerPartner.id });
    expect(list.status).toBe(200);
    expect(list.body.data).toEqual({ rewards: [{ id: createReward.id, partner: { name: "Private Fields", termsHistory: null } }] });
    expect(list.body.errors.map((e: any) => [e.path, e.extensions.code])).toEqual([[["rewards", 0, "partner", "termsHistory"], "UPSTREAM_UNAVAILABLE"]]);
  }, 60_000);
});
