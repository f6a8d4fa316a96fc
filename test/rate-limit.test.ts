import { request } from "node:http";
import { createConnection } from "node:net";
import { addressBucket, memoryRateLimiter } from "../gateway/src/rate-limit";
import { signToken } from "../shared/src/auth/jwt";
import { bearer, requestGraphQL } from "../tools/stack/graphql-client";
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
    // A key with a limit of its own (anonymous addresses).
    expect(await limiter.hit("addr:192.0.2.1", 1)).toBeNull();
    expect(await limiter.hit("addr:192.0.2.1", 1)).toBeGreaterThanOrEqual(1);
    // A batch counts each of its operations: 3 + 2 fit a limit of 5, one more does not.
    expect(await limiter.hit("member:c", 5, 3)).toBeNull();
    expect(await limiter.hit("member:c", 5, 2)).toBeNull();
    expect(await limiter.hit("member:c", 5, 1)).toBeGreaterThanOrEqual(1);
  });

  it("counts an anonymous client per IPv4 address and per IPv6 /64", () => {
    expect(addressBucket("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(addressBucket("203.0.113.7:51234")).toBe("203.0.113.7");
    expect(addressBucket("2001:db8:1:2:aaaa::1")).toBe("2001:0db8:0001:0002::/64");
    expect(addressBucket("[2001:db8:1:2:ffff:1:2:3]:443")).toBe("2001:0db8:0001:0002::/64");
    expect(addressBucket("::1")).toBe("0000:0000:0000:0000::/64");
  });

  describe("through the gateway (Redis when one answers at 127.0.0.1:6379, else memory)", () => {
    let backend = "memory";
    beforeAll(async () => {
      backend = (await redisAnswers()) ? "redis" : "memory";
    });
    const dedicated = useDedicatedStack("ratelimit", () => ({
      RATE_LIMIT_PER_MINUTE: "5",
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: "5",
      ALLOW_BATCHING: "1",
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
      // Each run of requests below must fall in one fixed window: one that crossed a minute's end was
      // counted afresh after it (a CI run saw the API key's sixth request pass that way).
      await notNearTheEndOfAMinute();
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
      await notNearTheEndOfAMinute();
      const byKey = [];
      for (let i = 0; i < 6; i++) byKey.push((await ask({ "x-api-key": first })).status);
      expect(byKey).toEqual([200, 200, 200, 200, 200, 429]);
      expect((await ask({ "x-api-key": second })).status).toBe(200);
    }, 90_000);

    it("charges a batch each of its operations: a member allowed 5 a minute sends a batch of 3, then one of 3 is refused", async () => {
      const { stack } = dedicated;
      const member = bearer(signToken({ sub: "00000000-0000-4000-8000-00000000b001", role: "member" }, stack.env.JWT_SECRET!));
      const batch = (n: number) =>
        fetch(stack.gatewayUrl, { method: "POST", headers: { "content-type": "application/json", ...member }, body: JSON.stringify(Array.from({ length: n }, () => ({ query: `{ partners { id } }` }))) });
      await notNearTheEndOfAMinute();
      const first = await batch(3);
      expect(first.status).toBe(200);
      expect(((await first.json()) as unknown[]).length).toBe(3);
      const second = await batch(3); // 6 operations in the minute: past 5
      expect(second.status).toBe(429);
      expect((await batch(2)).status).toBe(429); // still past it: the refused batch counted too, as a refused request does
    }, 60_000);

    it("answers RATE_LIMITED past the limit per anonymous client address, which X-Forwarded-For cannot change unless a proxy is trusted", async () => {
      const { stack } = dedicated;
      await notNearTheEndOfAMinute();
      // Addresses of this run only (the counters may live in a Redis other runs share): every 127/8
      // address is this machine, so the gateway sees each as another client.
      const net = `127.${1 + Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;
      const [attacker, neighbour, guesser, proxy] = [`${net}.1`, `${net}.2`, `${net}.3`, `${net}.4`];
      const statuses = async (from: string, count: number, headers: Record<string, string> = {}) => {
        const seen = [];
        for (let i = 0; i < count; i++) seen.push((await post(stack.gatewayUrl, from, headers)).status);
        return seen;
      };
      expect(await statuses(attacker, 5)).toEqual([200, 200, 200, 200, 200]);
      const limited = await post(stack.gatewayUrl, attacker);
      expect(limited.status).toBe(429);
      const retryAfter = Number(limited.headers["retry-after"]);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(limited.body.errors[0].extensions).toMatchObject({ code: "RATE_LIMITED", retryAfter });
      // A header the client writes itself changes nothing while no proxy is trusted.
      expect(await statuses(attacker, 3, { "x-forwarded-for": "198.51.100.7" })).toEqual([429, 429, 429]);
      // Another address, and a member at the same address, are not affected.
      expect(await statuses(neighbour, 1)).toEqual([200]);
      const { enrollMember: member } = await requestGraphQL(stack.gatewayUrl, `mutation { enrollMember(input: { email: "anon-${dedicated.suffix}@example.com", displayName: "M" }) { id } }`, {}, dedicated.admin());
      expect(await statuses(attacker, 1, bearer(signToken({ sub: member.id, role: "member" }, stack.env.JWT_SECRET!)))).toEqual([200]);
      // Refused credentials count against the address too: guessing API keys is limited.
      const guesses = [];
      for (let i = 0; i < 6; i++) guesses.push((await post(stack.gatewayUrl, guesser, { "x-api-key": `guess-${i}-${net}` })).status);
      expect(guesses).toEqual([401, 401, 401, 401, 401, 429]);

      // Behind one trusted proxy, the client is the address that proxy appended (the last entry).
      await stack.restart("gateway", { TRUST_PROXY_HOPS: "1" });
      await notNearTheEndOfAMinute();
      const someAddress = (net: string) => `${net}.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;
      // A gateway just started passes requests until its Redis connection is up: warm it up first.
      expect(await statuses(proxy, 1, { "x-forwarded-for": someAddress("198.19") })).toEqual([200]);
      const client = someAddress("198.18");
      expect(await statuses(proxy, 6, { "x-forwarded-for": client })).toEqual([200, 200, 200, 200, 200, 429]);
      expect(await statuses(proxy, 1, { "x-forwarded-for": `203.0.113.9, ${client}` })).toEqual([429]);
      expect(await statuses(proxy, 1, { "x-forwarded-for": someAddress("198.19") })).toEqual([200]);
    }, 90_000);
  });
});

/** An anonymous `{ partners { id } }` from a given local address (every 127/8 address is loopback). */
function post(url: string, localAddress: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: any }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port: target.port, path: target.pathname, method: "POST", localAddress, headers: { "content-type": "application/json", ...headers } },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: JSON.parse(text) }));
      },
    );
    req.on("error", reject);
    req.end(JSON.stringify({ query: `{ partners { id } }` }));
  });
}

/** Counters live in fixed one-minute windows: start a sequence early enough to finish it in one. */
async function notNearTheEndOfAMinute(): Promise<void> {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 45_000) await new Promise((resolve) => setTimeout(resolve, 60_500 - intoMinute));
}
