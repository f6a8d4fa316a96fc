import { type ChildProcess, spawn } from "node:child_process";
import { Redis } from "ioredis";
import { signToken } from "../shared/src/auth/jwt";
import { bearer, requestGraphQL } from "../tools/stack/graphql-client";
import { freePort, stopChild } from "../tools/stack/services";
import { useDedicatedStack } from "./support/dedicated-stack";

/**
 * With REDIS_URL, public entities the gateway keeps are shared through Redis: a gateway process that
 * never saw them (here: one restarted) answers from Redis; with Redis gone, the subgraph answers.
 * Its own redis-server on a free port, whether or not the machine runs one.
 */
describe("gateway entity cache in Redis", () => {
  let redisServer: ChildProcess;
  let redisUrl: string;
  beforeAll(async () => {
    const port = await freePort();
    redisServer = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
    redisUrl = `redis://127.0.0.1:${port}/0`;
    const probe = new Redis(redisUrl, { retryStrategy: (attempt) => (attempt > 50 ? null : 100) });
    await probe.ping();
    probe.disconnect();
  });
  const dedicated = useDedicatedStack("entityredis", () => ({ REDIS_URL: redisUrl }));
  afterAll(() => stopChild(redisServer));

  const PUBLIC = `query($id: ID!) { member(id: $id) { balance { byPartner { partner { name category } earned } } } }`;

  async function partnersStatements(run: () => Promise<unknown>): Promise<number> {
    const url = new URL(dedicated.stack.services.partners.url);
    url.pathname = "/metrics";
    const read = async () => Number(/coalition_sql_statements_total (\d+)/.exec(await (await fetch(url)).text())![1]);
    const before = await read();
    await run();
    return (await read()) - before;
  }

  it("shares kept partners through Redis, and answers without Redis when it is gone", async () => {
    const gateway = () => dedicated.stack.gatewayUrl;
    const admin = dedicated.admin();
    /** A member who bought once at a brand of their own. */
    const memberOfBrand = async (name: string) => {
      const tag = `${name.toLowerCase()}-${Date.now()}`;
      const { registerPartner: partner } = await requestGraphQL(gateway(), `mutation($input: RegisterPartnerInput!) { registerPartner(input: $input) { id } }`, {
        input: { slug: tag, name, category: "RETAIL", pointsPerUnit: 1, currency: "EUR", returnWindowDays: 0 },
      }, admin);
      const { enrollMember: member } = await requestGraphQL(gateway(), `mutation($input: EnrollMemberInput!) { enrollMember(input: $input) { id } }`, {
        input: { email: `${tag}@example.com`, displayName: name },
      }, admin);
      await requestGraphQL(gateway(), `mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { id } }`, {
        input: { partnerId: partner.id, memberId: member.id, amountMinor: 1_000, currency: "EUR", reference: tag },
      }, admin);
      const asMember = bearer(signToken({ sub: member.id, role: "member" }, dedicated.stack.env.JWT_SECRET!));
      return {
        headline: () => requestGraphQL(gateway(), PUBLIC, { id: member.id }, asMember),
        expected: { member: { balance: { byPartner: [{ partner: { name, category: "RETAIL" }, earned: 10 }] } } },
      };
    };
    const first = await memberOfBrand("Alpha");
    const second = await memberOfBrand("Beta");
    const statementsFor = (member: typeof first) => partnersStatements(async () => expect(await member.headline()).toEqual(member.expected));

    expect(await statementsFor(first)).toBeGreaterThan(0);
    expect(await statementsFor(second)).toBeGreaterThan(0);
    const redis = new Redis(redisUrl);
    const keys = await redis.keys("coalition:entity:*");
    expect(keys).toHaveLength(2);
    const ttl = await redis.pttl(keys[0]);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    redis.disconnect();

    // A new gateway process learns that partner calls are cacheable from its first one; the partner
    // it has never fetched then comes from Redis.
    await dedicated.stack.restart("gateway");
    expect(await statementsFor(first)).toBeGreaterThan(0);
    expect(await statementsFor(second)).toBe(0);

    await stopChild(redisServer);
    await dedicated.stack.restart("gateway");
    expect(await statementsFor(first)).toBeGreaterThan(0);
    expect(await statementsFor(second)).toBeGreaterThan(0);
  });
});
