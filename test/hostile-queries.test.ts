import { Client } from "pg";
import { SUBGRAPH_NAMES, withDatabase } from "../shared/src/config";
import { enrollMember } from "./support/fixtures";
import { anonymous, gatewayUrl, gql, ok, unique } from "./support/gateway";
import { expectLedgerConsistent } from "./support/ledger";

const codes = (result: { errors?: { extensions?: Record<string, unknown> }[] }) => result.errors?.map((e) => e.extensions?.code);

async function raw(body: string, contentType = "application/json") {
  const response = await fetch(gatewayUrl(), { method: "POST", headers: { "content-type": contentType }, body });
  const text = await response.text();
  return { status: response.status, text };
}

/** Row counts of every table of every subgraph database: a request that changes none of them wrote nothing. */
async function rowCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const name of SUBGRAPH_NAMES) {
    const client = new Client({ connectionString: withDatabase(process.env.TEST_DATABASE_URL!, `coalition_${name}${process.env.TEST_DATABASE_NAME_SUFFIX}`) });
    await client.connect();
    try {
      const tables = await client.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`);
      for (const { tablename } of tables.rows) {
        counts[`${name}.${tablename}`] = Number((await client.query(`SELECT count(*) FROM "${tablename}"`)).rows[0].count);
      }
    } finally {
      await client.end();
    }
  }
  return counts;
}

describe("hostile queries are refused at the gateway with a clear code", () => {
  it("too deep", async () => {
    const deep = `{ partners { ${"rewards { partner { ".repeat(6)}id${" } }".repeat(6)} } }`;
    expect(codes(await gql(deep))).toEqual(["QUERY_TOO_DEEP"]);
  });

  it("too many aliases", async () => {
    const aliases = Array.from({ length: 31 }, (_, i) => `a${i}: partners { id }`).join(" ");
    expect(codes(await gql(`{ ${aliases} }`))).toEqual(["TOO_MANY_ALIASES"]);
  });

  it("too costly: a query that could fan out to millions of rows", async () => {
    const fanOut = `{ members(first: 100) { partnerAccounts { partner { rewards { partner { rewards { id } } } } } } }`;
    const result = await gql(fanOut);
    expect(codes(result)).toEqual(["QUERY_TOO_COSTLY"]);
    expect(result.data ?? null).toBeNull();
    // The same shape for one page of a few is fine.
    await ok(`{ members(first: 2) { id eligibleRewards(first: 5) { id } } }`);
  });

  it("too costly by its variables: the same document is priced again for each request's page size", async () => {
    // The gateway keeps the cost of a document that no variable changes; this one's depends on $n.
    const query = `query Pages($n: Int!) { members(first: $n) { partnerAccounts { partner { rewards(first: 5) { partner { rewards(first: 5) { id } } } } } } }`;
    await ok(query, { n: 2 });
    expect(codes(await gql(query, { n: 100 }))).toEqual(["QUERY_TOO_COSTLY"]);
    await ok(query, { n: 2 });
  });

  it("too costly with `first: null`: a list sent null runs with its default page size, and is priced so", async () => {
    // `rewards` and `rewardsConnection` answer 50 when `first` is null, as when it is left out; priced
    // as 20 (the size of a list without `first`), five such pages of rewards with their partner's rewards
    // cost 10,305 and ran, where the same query without `first` costs 25,755 and is refused.
    const page = (list: string, first: string) =>
      `${list}${first ? `(${first})` : ""} { ${list === "rewards" ? "id partner" : "edges { node { id partner"} { rewards(first: 100) { id } } ${list === "rewards" ? "" : "} }"} }`;
    for (const list of ["rewards", "rewardsConnection"]) {
      for (const first of ["", "first: null"]) {
        const query = `{ ${[1, 2, 3, 4, 5].map((i) => `a${i}: ${page(list, first)}`).join(" ")} }`;
        expect({ list, first, codes: codes(await gql(query, {}, anonymous)) }).toEqual({ list, first, codes: ["QUERY_TOO_COSTLY"] });
      }
      const byVariable = `query($n: Int) { ${[1, 2, 3, 4, 5].map((i) => `a${i}: ${page(list, "first: $n")}`).join(" ")} }`;
      expect(codes(await gql(byVariable, { n: null }, anonymous))).toEqual(["QUERY_TOO_COSTLY"]);
    }
  });

  it("too costly whatever the variables: @include/@skip turned on after a cheap request is priced again", async () => {
    // The gateway keeps a document's cost; a kept cost must not be reused when a directive's variable
    // turns on a branch that fans out to millions of rows (here anonymously, as an attacker would).
    const fanOut = `rewards { partner { rewards { partner { rewards { id } } } } }`;
    const direct = `query Include($big: Boolean!) { partners { id ${fanOut.replace("rewards {", "rewards @include(if: $big) {")} } }`;
    const inFragment = `query Skip($small: Boolean = true) { partners { ...P } } fragment P on Partner { id ... @skip(if: $small) { ${fanOut} } }`;
    for (const [query, cheap, costly] of [
      [direct, { big: false }, { big: true }],
      [inFragment, {}, { small: false }],
    ] as const) {
      await ok(query, cheap, anonymous);
      const refused = await gql(query, costly, anonymous);
      expect(codes(refused)).toEqual(["QUERY_TOO_COSTLY"]);
      expect(refused.data ?? null).toBeNull();
      await ok(query, cheap, anonymous);
    }
  });

  it("Partner.rewards is bounded (100 by default, 1 to 100) and priced as such: nested under a page of rewards it cannot answer a partner's rewards squared", async () => {
    // A partner with 101 rewards: made 30 at a time (QUERY_MAX_ALIASES); inactive and dearer than any other, so
    // that no other test's lists (eligible rewards, the catalog's cheapest first) meet them.
    const COST = 9_000_000;
    const { registerPartner } = await ok(`mutation($input: RegisterPartnerInput!) { registerPartner(input: $input) { id } }`, {
      input: { slug: unique("many"), name: "Many Rewards", category: "RETAIL", pointsPerUnit: 1, currency: "EUR" },
    });
    const partnerId = registerPartner.id as string;
    for (let made = 0; made < 101; made += 30) {
      const batch = Array.from({ length: Math.min(30, 101 - made) }, (_, i) =>
        `r${i}: createReward(input: { partnerId: "${partnerId}", title: "Reward ${made + i}", costPoints: ${COST + made + i}, minimumTier: BASE, active: false }) { id }`);
      await ok(`mutation { ${batch.join(" ")} }`);
    }
    const read = `query($id: ID!, $first: Int!) { partner(id: $id) { rewards(first: $first) { costPoints } } }`;
    const listed = async (query: string, variables: Record<string, unknown>) => (await ok(query, variables, anonymous)).partner.rewards.map((r: { costPoints: number }) => r.costPoints);
    // By default the cheapest 100 (costs COST + 0 to COST + 99), not the 101st (COST + 100).
    const all = await listed(`query($id: ID!) { partner(id: $id) { rewards { costPoints } } }`, { id: partnerId });
    expect(all).toEqual(Array.from({ length: 100 }, (_, i) => COST + i));
    expect(await listed(read, { id: partnerId, first: 3 })).toEqual([COST, COST + 1, COST + 2]);
    for (const first of [0, 101]) expect(codes(await gql(read, { id: partnerId, first }, anonymous))).toEqual(["BAD_USER_INPUT"]);
    // Three rewards of the partner, each with all the partner's rewards and theirs: 3 × 100 × 100 ids at most, priced so, refused.
    const squared = `query($id: ID!) { rewards(partnerId: $id, first: 3) { partner { rewards { partner { rewards { id } } } } } }`;
    expect(codes(await gql(squared, { id: partnerId }, anonymous))).toEqual(["QUERY_TOO_COSTLY"]);
    // Asked small, it is priced small and answered: 2 × 2 × 2 ids.
    const small = await ok(`query($id: ID!) { rewards(partnerId: $id, first: 2) { partner { rewards(first: 2) { partner { rewards(first: 2) { costPoints } } } } } }`, { id: partnerId }, anonymous);
    expect(small.rewards.flatMap((r: any) => r.partner.rewards.flatMap((s: any) => s.partner.rewards.map((t: any) => t.costPoints)))).toEqual([0, 1, 0, 1, 0, 1, 0, 1].map((i) => COST + i));
  });

  it("too large a body, batches, broken JSON, and simple requests (CSRF) are refused without a 5xx", async () => {
    const big = await raw(JSON.stringify({ query: `{ partners { id } }`, variables: { padding: "x".repeat(150_000) } }));
    expect(big.status).toBe(413);
    expect(big.text).toContain("PAYLOAD_TOO_LARGE");
    const batch = await raw(JSON.stringify([{ query: "{ partners { id } }" }, { query: "{ partners { id } }" }]));
    expect(batch.status).toBe(400);
    expect(batch.text).toContain("BATCH_TOO_LARGE");
    const broken = await raw(`{"query": "{ partners { id } }"`);
    expect(broken.status).toBe(400);
    const simple = await raw(`query={ partners { id } }`, "text/plain");
    expect(simple.status).toBe(400); // CSRF prevention: a simple request cannot run an operation
  });

  it("survives a few thousand malformed, oversized, deep and alias-bombed operations: no 5xx, no change", async () => {
    await enrollMember();
    const before = await rowCounts();
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
    const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
    const fragments = ["{", "}", "(", ")", "query", "mutation", "partners", "members", "first:", "-1", "1e309", '"', "\\u0000", "...", "on", "@skip(if: true)", "$x", "__schema", "enrollMember(input: {email: \\\"a\\\"})", "id", ":", "[", "]"];
    const bodies: string[] = [];
    for (let i = 0; i < 2_500; i++) {
      const kind = i % 6;
      if (kind === 0) bodies.push(JSON.stringify({ query: Array.from({ length: 1 + Math.floor(random() * 40) }, () => pick(fragments)).join(" ") }));
      if (kind === 1) bodies.push(JSON.stringify({ query: `{ ${"partners { rewards { ".repeat(5 + (i % 40))}id${" } }".repeat(5 + (i % 40))} }` }));
      if (kind === 2) bodies.push(JSON.stringify({ query: `{ ${Array.from({ length: 30 + (i % 500) }, (_, n) => `x${n}: partners { id }`).join(" ")} }` }));
      if (kind === 3) bodies.push(JSON.stringify({ query: `mutation($i: EnrollMemberInput!) { enrollMember(input: $i) { id } }`, variables: { i: pick([null, 1, "x", { email: 5 }, { email: "bad", displayName: "" }, []]) } }));
      if (kind === 4) bodies.push(pick([`{`, `[]`, `null`, `"query"`, `{"query": 5}`, `{"query": null}`, `{"variables": "x"}`, "\u0000\u0001"]));
      if (kind === 5) bodies.push(JSON.stringify({ query: `{ members(first: ${pick(["-1", "0", "101", "2147483647", "1.5", '"x"', "null"])}) { id } }` }));
    }
    const statuses = new Map<number, number>();
    for (let i = 0; i < bodies.length; i += 25) {
      const results = await Promise.all(bodies.slice(i, i + 25).map((body) => raw(body)));
      for (const { status } of results) statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
    expect([...statuses.keys()].filter((status) => status >= 500)).toEqual([]);
    expect(await rowCounts()).toEqual(before);
    const health = await fetch(new URL("/health", gatewayUrl()));
    expect(health.status).toBe(200);
    await ok(`{ partners { id } }`);
    await expectLedgerConsistent();
  }, 120_000);
});
