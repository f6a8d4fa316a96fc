import { createReward, enrollMember, recordPurchase, redeem, registerPartner } from "./support/fixtures";
import { asMember, asPartnerApp, fails, gql, ok, unique } from "./support/gateway";

/**
 * The cursor connections beside the lists that grow (README, Frontend clients): each pages through
 * exactly the list it pages (the same order, no item twice, none left out), says when it ends, refuses
 * a cursor from elsewhere, and counts `first` in the query cost. And the member fields some callers
 * may not read are nullable: a partner app's FORBIDDEN field no longer takes the member with it.
 */

interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** Every page of a connection, `first` at a time, through `fetch(after)`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- pages of hand-written queries
async function allPages<T = any>(fetch: (after: string | null) => Promise<Page<T>>, first: number): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let after: string | null = null;
  for (let pages = 1; ; pages++) {
    const page: Page<T> = await fetch(after);
    expect(page.edges.length).toBeLessThanOrEqual(first);
    items.push(...page.edges.map((edge) => edge.node));
    if (!page.pageInfo.hasNextPage) return { items, pages };
    expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)!.cursor);
    after = page.pageInfo.endCursor;
    if (pages > 1_000) throw new Error("never ends");
  }
}

describe("cursor connections", () => {
  let partner: Awaited<ReturnType<typeof registerPartner>>;
  let member: { id: string };
  beforeAll(async () => {
    partner = await registerPartner({ pointsPerUnit: 1, returnWindowDays: 0 });
    member = await enrollMember();
    await recordPurchase(partner, member.id, 1_000_000); // 10,000 points
    // Seven rewards, two of the same cost (ties go by id), one too dear to be eligible.
    for (const costPoints of [300, 100, 200, 200, 500, 400, 50_000]) await createReward(partner.id, { costPoints });
  });

  it("rewardsConnection pages through exactly what rewards lists, cheapest first", async () => {
    const { rewards } = await ok(`query($p: ID) { rewards(partnerId: $p, first: 100) { id costPoints } }`, { p: partner.id });
    expect(rewards.map((r: { costPoints: number }) => r.costPoints)).toEqual([100, 200, 200, 300, 400, 500, 50_000]);
    const query = `query($p: ID, $after: String) { rewardsConnection(partnerId: $p, first: 3, after: $after) { edges { cursor node { id costPoints } } pageInfo { hasNextPage endCursor } } }`;
    const paged = await allPages(async (after) => (await ok(query, { p: partner.id, after }, {})).rewardsConnection, 3);
    expect(paged).toEqual({ items: rewards, pages: 3 });
  });

  it("Member.eligibleRewardsConnection pages through exactly the eligible rewards", async () => {
    // Every partner's rewards are eligible to the member (other tests' too): compare with the whole list.
    const query = `query($id: ID!, $after: String) { member(id: $id) { eligibleRewards(first: 100) { id } eligibleRewardsConnection(first: 2, after: $after) { edges { cursor node { id costPoints partner { id } } } pageInfo { hasNextPage endCursor } } } }`;
    // The list stops at 100; past that (the shared catalog grows with every file) it must be the connection's start.
    const listed = (await ok(query, { id: member.id, after: null }, asMember(member.id))).member.eligibleRewards;
    const paged = await allPages(async (after) => (await ok(query, { id: member.id, after }, asMember(member.id))).member.eligibleRewardsConnection, 2);
    const pagedIds = paged.items.map((r: { id: string }) => r.id);
    expect(pagedIds.slice(0, 100)).toEqual(listed.map((r: { id: string }) => r.id));
    if (listed.length < 100) expect(pagedIds).toHaveLength(listed.length);
    expect(paged.pages).toBe(Math.ceil(pagedIds.length / 2));
    const ours = paged.items.filter((r: { partner: { id: string } }) => r.partner.id === partner.id);
    expect(ours.map((r: { costPoints: number }) => r.costPoints)).toEqual([100, 200, 200, 300, 400, 500]);
  });

  it("Member.redemptionsConnection pages through exactly the redemptions, newest first", async () => {
    const { rewards } = await ok(`query($p: ID) { rewards(partnerId: $p, first: 3) { id } }`, { p: partner.id });
    for (const reward of [...rewards, ...rewards]) await redeem(member.id, reward.id, unique("page"));
    const query = `query($id: ID!, $after: String) { member(id: $id) { redemptions(first: 100) { id } redemptionsConnection(first: 4, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } } }`;
    const listed = (await ok(query, { id: member.id, after: null }, asMember(member.id))).member.redemptions;
    expect(listed).toHaveLength(6);
    const paged = await allPages(async (after) => (await ok(query, { id: member.id, after }, asMember(member.id))).member.redemptionsConnection, 4);
    expect(paged).toEqual({ items: listed, pages: 2 });
  });

  it("membersConnection pages admins through the members in enrolment order, as members does", async () => {
    // Other suites enrol members meanwhile (at the end of the order): each list read later may be longer, never different before.
    // Two of this file's own at least, so a page has more than one member when the file runs alone.
    await enrollMember();
    await enrollMember();
    const query = `query($after: String) { membersConnection(first: 100, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`;
    const { membersConnection } = await ok(query, { after: null });
    const { members } = await ok(`{ members(first: 100) { id } }`);
    const page = membersConnection.edges.map((edge: { node: unknown }) => edge.node);
    expect(page.length).toBeGreaterThan(1);
    expect(members.slice(0, page.length)).toEqual(page);
    // From the middle: the page after a member is what follows it in `members`.
    const middle = membersConnection.edges[Math.floor(membersConnection.edges.length / 2)];
    const rest = (await ok(query, { after: middle.cursor })).membersConnection.edges.map((edge: { node: unknown }) => edge.node);
    const following = members.slice(members.findIndex((m: { id: string }) => m.id === middle.node.id) + 1);
    expect(rest.slice(0, following.length)).toEqual(following.slice(0, rest.length));
    expect(rest.length).toBeGreaterThanOrEqual(Math.min(following.length, 100));
    await fails(`{ membersConnection(first: 1) { edges { node { id } } } }`, {}, "FORBIDDEN", asMember(member.id));
  });

  it("refuses a cursor from another list, or made up, as BAD_USER_INPUT on after", async () => {
    const { membersConnection } = await ok(`{ membersConnection(first: 1) { pageInfo { endCursor } } }`);
    const error = await fails(`query($after: String) { rewardsConnection(first: 1, after: $after) { edges { node { id } } } }`, { after: membersConnection.pageInfo.endCursor }, "BAD_USER_INPUT", {});
    expect(error.extensions).toMatchObject({ field: "after" });
    await fails(`{ membersConnection(first: 1, after: "bm90IGEgY3Vyc29y") { edges { node { id } } } }`, {}, "BAD_USER_INPUT");
  });

  it("counts a connection's first in the query cost, as a list's", async () => {
    const nested = (first: number) => `{ membersConnection(first: ${first}) { edges { node { id redemptionsConnection(first: 100) { edges { node { id reward { id title partner { id name } } } } } } } } }`;
    expect((await gql(nested(100))).errors?.map((e) => e.extensions?.code)).toEqual(["QUERY_TOO_COSTLY"]);
    expect((await gql(nested(1))).errors).toBeUndefined();
  });
});

describe("fields some callers may not read are nullable", () => {
  it("a partner app selecting email gets the member it may see, with email null and FORBIDDEN", async () => {
    const partner = await registerPartner();
    const member = await enrollMember({ displayName: "Nullable" });
    await ok(`mutation($input: LinkPartnerAccountInput!) { linkPartnerAccount(input: $input) { id status } }`, { input: { memberId: member.id, partnerId: partner.id, externalId: unique("card") } });
    const { issuePartnerApiKey } = await ok(`mutation($id: ID!) { issuePartnerApiKey(partnerId: $id) { key } }`, { id: partner.id });
    const result = await gql(`query($id: ID!) { member(id: $id) { id displayName tier email enrolledAt } }`, { id: member.id }, asPartnerApp(issuePartnerApiKey.key));
    expect(result.data).toEqual({ member: { id: member.id, displayName: "Nullable", tier: "BASE", email: null, enrolledAt: null } });
    expect(result.errors?.map((e) => [e.path?.join("."), e.extensions?.code]).sort()).toEqual([
      ["member.email", "FORBIDDEN"],
      ["member.enrolledAt", "FORBIDDEN"],
    ]);
    // The balance's other fields too: `available` stays.
    const balance = await gql(`query($id: ID!) { member(id: $id) { id balance { available pending lifetimeEarned } tierProgress { next } } }`, { id: member.id }, asPartnerApp(issuePartnerApiKey.key));
    expect(balance.data).toEqual({ member: { id: member.id, balance: { available: 0, pending: null, lifetimeEarned: null }, tierProgress: null } });
    expect(balance.errors?.map((e) => [e.path?.join("."), e.extensions?.code]).sort()).toEqual([
      ["member.balance.lifetimeEarned", "FORBIDDEN"],
      ["member.balance.pending", "FORBIDDEN"],
      ["member.tierProgress", "FORBIDDEN"],
    ]);
  });

  it("PartnerAccount has an id, the same each time the pair is read", async () => {
    const partner = await registerPartner();
    const member = await enrollMember();
    const { linkPartnerAccount } = await ok(`mutation($input: LinkPartnerAccountInput!) { linkPartnerAccount(input: $input) { id } }`, { input: { memberId: member.id, partnerId: partner.id, externalId: unique("card") } });
    const { member: read } = await ok(`query($id: ID!) { member(id: $id) { partnerAccounts { id partner { id } } } }`, { id: member.id });
    expect(read.partnerAccounts).toEqual([{ id: linkPartnerAccount.id, partner: { id: partner.id } }]);
    expect(linkPartnerAccount.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });
});
