import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ApolloClient, CombinedGraphQLErrors, HttpLink, gql } from "@apollo/client";
import { Client, fetchExchange } from "@urql/core";
import { buildSchema, isObjectType } from "graphql";
import { REPO_ROOT } from "../shared/src/config";
import { ListRewardsDocument } from "../examples/partner-app/src/gql/graphql";
import { VALUE_TYPES, apolloCache, urqlCache } from "./support/client-cache";
import { createReward, enrollMember, recordPurchase, registerPartner } from "./support/fixtures";
import { asMember, gatewayUrl, ok, unique } from "./support/gateway";

/**
 * The clients frontend teams use, Apollo Client 4 and urql (graphcache), against the stack with the
 * README's cache settings (support/client-cache.ts): the README's headline, a mutation the cache
 * follows, paging a connection, an error, the generated typed documents; any cache warning fails.
 */

/** The README's headline query, with the email as a variable so each test uses its own member. */
function readmeHeadline(): string {
  const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
  const match = /<!-- headline-query[^>]*-->\s*```graphql\n([\s\S]*?)```/.exec(readme);
  if (!match) throw new Error("README.md has no headline-query block");
  return match[1].replace("query Headline {", "query Headline($email: String!) {").replace('memberByEmail(email: "ada@example.com")', "memberByEmail(email: $email)");
}
const HEADLINE = gql(readmeHeadline());

// Part of the headline's balance: the cache must merge it into the balance it holds (Apollo warns
// "Cache data may be lost" without PointsBalance's merge policy).
const REDEEM = gql`
  mutation Redeem($input: RedeemRewardInput!) {
    redeemReward(input: $input) {
      id
      status
      pointsSpent
      voucherCode
      createdAt
      reward { id title }
      member { id balance { available lifetimeRedeemed } }
    }
  }
`;

const ACTIVITY = gql`
  query Activity($id: ID!, $first: Int, $after: String) {
    member(id: $id) {
      id
      activity(first: $first, after: $after) {
        edges { cursor node { id kind points } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`;

const REWARDS_PAGE = gql`
  query RewardsPage($partnerId: ID, $first: Int, $after: String) {
    rewardsConnection(partnerId: $partnerId, first: $first, after: $after) {
      edges { cursor node { id title costPoints } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped hand-written documents
type Any = any;

interface Headline {
  memberByEmail: { id: string; balance: { available: number }; redemptions: { id: string }[]; partnerAccounts: { id: string; status: string }[] };
}

/** A member with 5,000 points from four purchases at a partner they linked, and three rewards there. */
async function memberWithPoints() {
  const partner = await registerPartner({ pointsPerUnit: 1, returnWindowDays: 0 });
  const member = await enrollMember({ displayName: "Client Test" });
  await ok(`mutation($input: LinkPartnerAccountInput!) { linkPartnerAccount(input: $input) { status } }`, { input: { memberId: member.id, partnerId: partner.id, externalId: unique("card") } });
  for (const amount of [200_000, 100_000, 100_000, 100_000]) await recordPurchase(partner, member.id, amount);
  const cheap = await createReward(partner.id, { title: "Coffee", costPoints: 100 });
  await createReward(partner.id, { title: "Lunch", costPoints: 200 });
  const dear = await createReward(partner.id, { title: "Flight", costPoints: 1_000_000 });
  return { partner, member, cheap, dear, headers: asMember(member.id) };
}

/** Every warning or error a client logs (Apollo through console, graphcache through its logger or console). */
function captureWarnings(): { messages: string[]; logger: (severity: string, message: string) => void; restore: () => void } {
  const messages: string[] = [];
  const spies = (["warn", "error"] as const).map((method) => jest.spyOn(console, method).mockImplementation((...args: unknown[]) => void messages.push(`console.${method}: ${args.map(String).join(" ")}`)));
  return {
    messages,
    logger: (severity, message) => void (severity !== "debug" && messages.push(`graphcache ${severity}: ${message}`)),
    restore: () => spies.forEach((spy) => spy.mockRestore()),
  };
}

describe("Apollo Client 4", () => {
  let warnings: ReturnType<typeof captureWarnings>;
  beforeEach(() => (warnings = captureWarnings()));
  afterEach(() => {
    warnings.restore();
    expect(warnings.messages).toEqual([]);
  });

  const apollo = (headers: Record<string, string>, options: { useGETForQueries?: boolean } = {}) =>
    new ApolloClient({ link: new HttpLink({ uri: gatewayUrl(), headers, ...options }), cache: apolloCache() });

  it("runs the README's headline, follows a mutation in its cache, pages a connection and reports an error's code", async () => {
    const { member, cheap, dear, headers } = await memberWithPoints();
    const client = apollo(headers);
    const first = await client.query<Headline>({ query: HEADLINE, variables: { email: member.email } });
    expect(first.data?.memberByEmail).toMatchObject({ id: member.id, balance: { available: 5_000 }, redemptions: [], partnerAccounts: [{ status: "ACTIVE" }] });

    await client.mutate({ mutation: REDEEM, variables: { input: { memberId: member.id, rewardId: cheap.id, idempotencyKey: unique("apollo") } } });
    // No request: the cache-first read shows the balance the mutation's answer brought.
    const cached = client.readQuery<Headline>({ query: HEADLINE, variables: { email: member.email } });
    expect(cached?.memberByEmail.balance).toMatchObject({ available: 4_900, lifetimeRedeemed: 100, lifetimeEarned: 5_000 });

    // Page by page (network-only: relayStylePagination's read would answer a later page from the
    // cache); each answer is the one cached list with the new page merged in.
    let after: string | null = null;
    for (let pages = 1; ; pages++) {
      const { data: page }: { data?: Any } = await client.query<Any>({ query: ACTIVITY, variables: { id: member.id, first: 2, after }, fetchPolicy: "network-only" });
      if (!page.member.activity.pageInfo.hasNextPage) break;
      after = page.member.activity.pageInfo.endCursor;
      expect(pages).toBeLessThan(5);
    }
    const all = client.readQuery<Any>({ query: ACTIVITY, variables: { id: member.id, first: 2 } })!.member.activity;
    // Four purchases and one redemption, newest first, in one list.
    expect(all.edges.map((edge: { node: { kind: string } }) => edge.node.kind)).toEqual(["REDEEM", "EARN", "EARN", "EARN", "EARN"]);
    expect(all.pageInfo.hasNextPage).toBe(false);

    const refused = await client.mutate({ mutation: REDEEM, variables: { input: { memberId: member.id, rewardId: dear.id, idempotencyKey: unique("apollo") } } }).catch((error: unknown) => error);
    expect(CombinedGraphQLErrors.is(refused) && refused.errors.map((error) => error.extensions?.code)).toEqual(["INSUFFICIENT_POINTS"]);
  });

  it("sends GET queries (useGETForQueries) that pass CSRF prevention with the member's token, and takes the generated typed documents", async () => {
    const { member, partner, headers } = await memberWithPoints();
    const client = apollo(headers, { useGETForQueries: true });
    const { data } = await client.query<Headline>({ query: HEADLINE, variables: { email: member.email } });
    expect(data?.memberByEmail.id).toBe(member.id);
    const { data: rewards } = await client.query({ query: ListRewardsDocument, variables: { partnerId: partner.id, first: 5 } });
    expect(rewards?.rewards.map((reward) => reward.title)).toEqual(["Coffee", "Lunch", "Flight"]);
  });

  it("pages rewardsConnection with relayStylePagination", async () => {
    const { partner, headers } = await memberWithPoints();
    const client = apollo(headers);
    const { data } = await client.query<Any>({ query: REWARDS_PAGE, variables: { partnerId: partner.id, first: 2 } });
    expect(data.rewardsConnection.pageInfo.hasNextPage).toBe(true);
    await client.query<Any>({ query: REWARDS_PAGE, variables: { partnerId: partner.id, first: 2, after: data.rewardsConnection.pageInfo.endCursor }, fetchPolicy: "network-only" });
    const merged = client.readQuery<Any>({ query: REWARDS_PAGE, variables: { partnerId: partner.id, first: 2 } })!.rewardsConnection;
    expect(merged.edges.map((edge: { node: { title: string } }) => edge.node.title)).toEqual(["Coffee", "Lunch", "Flight"]);
    expect(merged.pageInfo.hasNextPage).toBe(false);
  });
});

describe("urql with graphcache", () => {
  let warnings: ReturnType<typeof captureWarnings>;
  beforeEach(() => (warnings = captureWarnings()));
  afterEach(() => {
    warnings.restore();
    expect(warnings.messages).toEqual([]);
  });

  // urql's default: GET for queries (within URL limits), accepted because the request carries a credential.
  const methods: string[] = [];
  const urql = (headers: Record<string, string>) =>
    new Client({
      url: gatewayUrl(),
      exchanges: [urqlCache(warnings.logger), fetchExchange],
      fetchOptions: () => ({ headers }),
      fetch: (input, init) => (methods.push(init?.method ?? "GET"), fetch(input, init)),
    });

  it("runs the README's headline by GET, follows a mutation in its cache, pages a connection and reports an error's code", async () => {
    const { member, cheap, dear, headers } = await memberWithPoints();
    const client = urql(headers);
    const first = await client.query<Headline>(HEADLINE, { email: member.email }).toPromise();
    expect(first.error).toBeUndefined();
    expect(methods.at(-1)).toBe("GET");
    expect(first.data?.memberByEmail).toMatchObject({ id: member.id, balance: { available: 5_000 } });

    const redeemed = await client.mutation(REDEEM, { input: { memberId: member.id, rewardId: cheap.id, idempotencyKey: unique("urql") } }).toPromise();
    expect(redeemed.error).toBeUndefined();
    const cached = await client.query<Headline>(HEADLINE, { email: member.email }, { requestPolicy: "cache-only" }).toPromise();
    expect(cached.data?.memberByEmail.balance).toMatchObject({ available: 4_900, lifetimeRedeemed: 100, lifetimeEarned: 5_000 });

    let page = await client.query<Any>(ACTIVITY, { id: member.id, first: 2 }).toPromise();
    while (page.data.member.activity.pageInfo.hasNextPage) {
      page = await client.query<Any>(ACTIVITY, { id: member.id, first: 2, after: page.data.member.activity.pageInfo.endCursor }).toPromise();
    }
    // relayPagination merges the pages under the field without its cursor.
    const all = await client.query<Any>(ACTIVITY, { id: member.id, first: 2 }, { requestPolicy: "cache-only" }).toPromise();
    expect(all.data.member.activity.edges.map((edge: { node: { kind: string } }) => edge.node.kind)).toEqual(["REDEEM", "EARN", "EARN", "EARN", "EARN"]);

    const refused = await client.mutation(REDEEM, { input: { memberId: member.id, rewardId: dear.id, idempotencyKey: unique("urql") } }).toPromise();
    expect(refused.error?.graphQLErrors.map((error) => error.extensions?.code)).toEqual(["INSUFFICIENT_POINTS"]);
  });

  it("takes the generated typed documents, and pages rewardsConnection with relayPagination", async () => {
    const { partner, headers } = await memberWithPoints();
    const client = urql(headers);
    const listed = await client.query(ListRewardsDocument, { partnerId: partner.id, first: 5 }).toPromise();
    expect(listed.data?.rewards.map((reward) => reward.title)).toEqual(["Coffee", "Lunch", "Flight"]);
    const page = await client.query<Any>(REWARDS_PAGE, { partnerId: partner.id, first: 2 }).toPromise();
    await client.query(REWARDS_PAGE, { partnerId: partner.id, first: 2, after: page.data.rewardsConnection.pageInfo.endCursor }).toPromise();
    const merged = await client.query<Any>(REWARDS_PAGE, { partnerId: partner.id, first: 2 }, { requestPolicy: "cache-only" }).toPromise();
    expect(merged.data.rewardsConnection.edges.map((edge: { node: { title: string } }) => edge.node.title)).toEqual(["Coffee", "Lunch", "Flight"]);
  });
});

describe("the README's cache settings", () => {
  it("name every object type without an id as a value type (graphcache keys), and the README shows them", () => {
    const schema = buildSchema(readFileSync(join(REPO_ROOT, "gateway", "schema.graphql"), "utf8"));
    const idless = Object.values(schema.getTypeMap())
      .filter((type) => isObjectType(type) && !type.name.startsWith("__") && !["Query", "Mutation"].includes(type.name) && !("id" in type.getFields()))
      .map((type) => type.name)
      .sort();
    expect([...VALUE_TYPES]).toEqual(idless);
    const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
    for (const type of VALUE_TYPES) expect(readme).toContain(`${type}: () => null`);
  });
});
