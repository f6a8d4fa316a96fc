import { Client } from "pg";
import { withDatabase } from "../shared/src/config";
import { postGraphQL, requestGraphQL } from "../tools/stack/graphql-client";
import { createCampaign, hoursFromNow } from "./support/campaigns";
import { registerPartner } from "./support/fixtures";
import { asPartnerApp, fails, gql, ok, unique } from "./support/gateway";
import { useDedicatedStack } from "./support/dedicated-stack";

/**
 * createCampaign and createReward take an optional `idempotencyKey` (shared/src/creation-keys.ts): they
 * had no key and no natural unique field, so the retry the contract asks for after UPSTREAM_UNAVAILABLE
 * created a second campaign (its budget paid twice) or reward (stock of its own) when the first had
 * committed (outside review).
 */
const CREATE_CAMPAIGN = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id name } }`;
const CREATE_REWARD = `mutation($input: CreateRewardInput!) { createReward(input: $input) { id title stock } }`;
const keyOf = async (partnerId: string) => (await ok(`mutation($id: ID!) { issuePartnerApiKey(partnerId: $id) { key } }`, { id: partnerId })).issuePartnerApiKey.key as string;

describe("creation keys on the shared stack", () => {
  it("a campaign's key: the same input answers the same campaign, other input is IDEMPOTENCY_CONFLICT, another caller's key is its own", async () => {
    const partner = await registerPartner();
    const app = asPartnerApp(await keyOf(partner.id));
    const input = { name: unique("weekend"), fundedByPartnerId: partner.id, bonusPoints: 10, budgetPoints: 1_000, idempotencyKey: "promo-1", startsAt: hoursFromNow(-1), endsAt: hoursFromNow(48) };
    const first = await createCampaign(input, app);
    expect(await createCampaign(input, app)).toEqual(first);
    // Ten at once with the key: one campaign.
    const copies = await Promise.all(Array.from({ length: 10 }, () => createCampaign(input, app)));
    expect(new Set(copies.map((c) => c.id))).toEqual(new Set([first.id]));
    // The partners are a set: a retry listing them in another order (and the funder twice) is the same input.
    const other = await registerPartner();
    const spread = { name: unique("spread"), bonusPoints: 10, partnerIds: [partner.id, other.id], idempotencyKey: "promo-2", startsAt: hoursFromNow(-1), endsAt: hoursFromNow(48) };
    const spreadFirst = await createCampaign(spread);
    expect(await createCampaign({ ...spread, partnerIds: [other.id, partner.id, other.id] })).toEqual(spreadFirst);
    await fails(CREATE_CAMPAIGN, { input: { ...spread, partnerIds: [other.id] } }, "IDEMPOTENCY_CONFLICT");
    const conflict = await fails(CREATE_CAMPAIGN, { input: { ...input, bonusPoints: 20 } }, "IDEMPOTENCY_CONFLICT", app);
    expect(conflict.extensions?.field).toBe("idempotencyKey");
    // The same key from an admin is the admin's: another campaign.
    const admins = await createCampaign(input);
    expect(admins.id).not.toBe(first.id);
    const { campaigns } = await ok(`query($p: ID) { campaigns(partnerId: $p) { id } }`, { p: partner.id });
    expect(campaigns.map((c: { id: string }) => c.id).sort()).toEqual([first.id, admins.id].sort());
  });

  it("a reward's key: the same input answers the same reward, other input is IDEMPOTENCY_CONFLICT", async () => {
    const partner = await registerPartner();
    const input = { partnerId: partner.id, title: unique("Coffee"), costPoints: 100, stock: 5, idempotencyKey: "reward-1" };
    const first = (await ok(CREATE_REWARD, { input })).createReward;
    const copies = await Promise.all(Array.from({ length: 10 }, () => ok(CREATE_REWARD, { input })));
    expect(new Set(copies.map((c) => c.createReward.id))).toEqual(new Set([first.id]));
    expect((await fails(CREATE_REWARD, { input: { ...input, stock: 6 } }, "IDEMPOTENCY_CONFLICT")).extensions?.field).toBe("idempotencyKey");
    const { rewards } = await ok(`query($p: ID!) { rewards(partnerId: $p, first: 50) { id } }`, { p: partner.id });
    expect(rewards).toEqual([{ id: first.id }]);
    // An empty key is bad input, not "no key".
    expect((await fails(CREATE_REWARD, { input: { ...input, idempotencyKey: " " } }, "BAD_USER_INPUT")).extensions?.field).toBe("idempotencyKey");
    expect((await gql(CREATE_REWARD, { input: { ...input, idempotencyKey: "x".repeat(201) } })).errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });
});

describe("creation keys after UPSTREAM_UNAVAILABLE (the gateway gave up, the write committed)", () => {
  const dedicated = useDedicatedStack("creationkeys", { SERVICE_CALL_TIMEOUT_MS: "300", SUBGRAPH_TIMEOUT_MS: "2000", DB_LOCK_TIMEOUT_MS: "10000" });
  const call = (query: string, variables: Record<string, unknown> = {}) => requestGraphQL<any>(dedicated.stack.gatewayUrl, query, variables, dedicated.admin());

  /** Holds `LOCK TABLE <table> IN SHARE MODE` (INSERTs wait) in `database` for `ms`, past the gateway's 2 s. */
  async function lockTable(database: string, table: string, ms: number): Promise<{ released: Promise<void> }> {
    const client = new Client({ connectionString: withDatabase(process.env.TEST_DATABASE_URL!, `coalition_${database}${dedicated.suffix}`) });
    await client.connect();
    await client.query("BEGIN");
    await client.query(`LOCK TABLE ${table} IN SHARE MODE`);
    // In an object: an async function returning a promise would wait for it.
    return { released: new Promise((resolve) => setTimeout(() => void client.query("COMMIT").then(() => client.end()).then(resolve), ms)) };
  }
  const partner = async (slug: string) =>
    (await call(`mutation($s: String!) { registerPartner(input: { slug: $s, name: "P", category: OTHER, pointsPerUnit: 1, currency: "EUR", returnWindowDays: 0 }) { id } }`, { s: slug })).registerPartner.id as string;

  it("a campaign retried with its key after UPSTREAM_UNAVAILABLE is the one campaign", async () => {
    const funder = await partner("creation-keys-campaign");
    const input = { name: "one budget", fundedByPartnerId: funder, bonusPoints: 100, budgetPoints: 10_000, idempotencyKey: "c-1", startsAt: hoursFromNow(-1), endsAt: hoursFromNow(24) };
    const { released } = await lockTable("ledger", "campaigns", 4_000);
    const first = await postGraphQL<any>(dedicated.stack.gatewayUrl, CREATE_CAMPAIGN, { input }, dedicated.admin());
    expect(first.errors?.map((e) => e.extensions?.code)).toEqual(["UPSTREAM_UNAVAILABLE"]);
    await released;
    const retry = await postGraphQL<any>(dedicated.stack.gatewayUrl, CREATE_CAMPAIGN, { input }, dedicated.admin());
    expect(retry.errors).toBeUndefined();
    const { campaigns } = await call(`query($p: ID!) { campaigns(partnerId: $p) { id } }`, { p: funder });
    expect(campaigns).toEqual([{ id: retry.data.createCampaign.id }]);
  }, 60_000);

  it("a reward retried with its key after UPSTREAM_UNAVAILABLE is the one reward", async () => {
    const owner = await partner("creation-keys-reward");
    const input = { partnerId: owner, title: "One stock", costPoints: 10, stock: 5, idempotencyKey: "r-1" };
    const { released } = await lockTable("catalog", "rewards", 4_000);
    const first = await postGraphQL<any>(dedicated.stack.gatewayUrl, CREATE_REWARD, { input }, dedicated.admin());
    expect(first.errors?.map((e) => e.extensions?.code)).toEqual(["UPSTREAM_UNAVAILABLE"]);
    await released;
    const retry = await postGraphQL<any>(dedicated.stack.gatewayUrl, CREATE_REWARD, { input }, dedicated.admin());
    expect(retry.errors).toBeUndefined();
    const { rewards } = await call(`query($p: ID!) { rewards(partnerId: $p, first: 50) { id } }`, { p: owner });
    expect(rewards).toEqual([{ id: retry.data.createReward.id }]);
  }, 60_000);
});
