import { createConnection } from "node:net";
import { memoryRateLimiter } from "../gateway/src/rate-limit";
import { signToken } from "../shared/src/auth/jwt";
import { bearer, requestGraphQL } from "../shared/src/stack/graphql-client";
import { useDedicatedStack } from "./support/dedicated-stack";

const redisAnswers = () =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port: 6379 });
    socket.setTimeout(500);
    socket.once("connect", () => (socket.end(), resolve(true)));
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => (socket.destroy(), resolve(false)));
  });

describe("rate limiting", () => {
  it("counts per caller in fixed one-minute windows (in memory)", async () => {
    const limiter = memoryRateLimiter(3);
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await limiter.hit("member:a"));
    expect(results.slice(0, 3)).toEqual([null, null, null]);
    expect(results[3]).toBeGreaterThanOrEqual(1);
    expect(results[3]).toBeLessThanOrEqual(60);
    expect(await limiter.hit("member:b")).toBeNull();
  });

  describe("through the gateway (Redis when one answers at 127.0.0.1:6379, else memory)", () => {
    let backend = "memory";
    beforeAll(async () => {
      backend = (await redisAnswers()) ? "redis" : "memory";
    });
    const dedicated = useDedicatedStack("ratelimit", () => ({
      RATE_LIMIT_PER_MINUTE: "5",
      ...(backend === "redis" ? { REDIS_URL: "redis://127.0.0.1:6379/0" } : {}),
    }));

    it("answers RATE_LIMITED (429, Retry-After) past the limit, per member", async () => {
      const { stack, suffix } = dedicated;
      const token = (sub: string, role: "member" | "admin") => bearer(signToken({ sub, role }, stack.env.JWT_SECRET!));
      const admin = token("admin", "admin");
      const { enrollMember: a } = await requestGraphQL(stack.gatewayUrl, `mutation { enrollMember(input: { email: "a-${suffix}@example.com", displayName: "A" }) { id } }`, {}, admin);
      const { enrollMember: b } = await requestGraphQL(stack.gatewayUrl, `mutation { enrollMember(input: { email: "b-${suffix}@example.com", displayName: "B" }) { id } }`, {}, admin);
      const ask = (headers: Record<string, string>) =>
        fetch(stack.gatewayUrl, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ query: `{ partners { id } }` }) });
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await ask(token(a.id, "member"))).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200]);
      const limited = await ask(token(a.id, "member"));
      expect(limited.status).toBe(429);
      const retryAfter = Number(limited.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      const body = (await limited.json()) as { errors: { extensions: { code: string; retryAfter: number } }[] };
      expect(body.errors[0].extensions).toMatchObject({ code: "RATE_LIMITED", retryAfter });
      expect((await ask(token(b.id, "member"))).status).toBe(200); // another member is not affected

      // Partner apps are counted per API key.
      const { registerPartner: partner } = await requestGraphQL(stack.gatewayUrl, `mutation { registerPartner(input: { slug: "rl-${process.pid}", name: "P", category: OTHER, pointsPerUnit: 1, currency: "EUR" }) { id } }`, {}, admin);
      const issue = async () => (await requestGraphQL(stack.gatewayUrl, `mutation($id: ID!) { issuePartnerApiKey(partnerId: $id) { key } }`, { id: partner.id }, admin)).issuePartnerApiKey.key;
      const [first, second] = [await issue(), await issue()];
      const byKey = [];
      for (let i = 0; i < 6; i++) byKey.push((await ask({ "x-api-key": first })).status);
      expect(byKey).toEqual([200, 200, 200, 200, 200, 429]);
      expect((await ask({ "x-api-key": second })).status).toBe(200);
    });
  });
});
