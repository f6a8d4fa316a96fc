import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { REPO_ROOT } from "../shared/src/config";
import { postGraphQL } from "../tools/stack/graphql-client";
import { freePort } from "../tools/stack/services";
import { useDedicatedStack } from "./support/dedicated-stack";

/** With NODE_ENV=production: no introspection, no landing page, no test clock, unless explicitly enabled. */
describe("production mode", () => {
  // A Redis that never answers keeps a client reconnecting: a service that forgets to exit hangs on it.
  const dedicated = useDedicatedStack("production", { NODE_ENV: "production", LEDGER_TEST_CLOCK: "1", REDIS_URL: "redis://127.0.0.1:1" });

  it("refuses introspection and serves no landing page", async () => {
    const result = await postGraphQL(dedicated.stack.gatewayUrl, `{ __schema { types { name } } }`);
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.[0]?.message).toMatch(/introspection/i);
    const page = await fetch(dedicated.stack.gatewayUrl, { headers: { accept: "text/html" } });
    expect(await page.text()).not.toMatch(/<html|sandbox/i);
  });

  it("still answers ordinary queries, and ignores the test clock", async () => {
    expect((await postGraphQL(dedicated.stack.gatewayUrl, `{ partners { id } }`)).errors).toBeUndefined();
    const clock = await fetch(new URL("/test/clock", dedicated.stack.services.ledger.url), { method: "PUT", headers: { "content-type": "application/json" }, body: "{}" });
    expect(clock.status).toBe(404);
  });

  it("makes no \"Did you mean …?\" suggestions: they would spell out the schema one typo at a time", async () => {
    // Each with the name graphql-js would suggest.
    for (const [query, variables, typo, suggested] of [
      [`{ partners { nme } }`, {}, "nme", `"name"`],
      [`{ members(frist: 1) { id } }`, {}, "frist", `"first"`],
      [`query($p: Parnter) { partners { id } }`, {}, "Parnter", `"Partner"`],
      [`mutation($c: PartnerCategory!) { registerPartner(input: { slug: "s", name: "n", category: $c, pointsPerUnit: 1, currency: "EUR" }) { id } }`, { c: "RETAL" }, "RETAL", `"RETAIL"`],
      [`{ partners { category(x: 1) } }`, {}, `"x"`, "Did you"],
      // Variable errors joined into one message (the cost limit's): a suggestion in the middle was kept (outside review).
      [`mutation($i: EnrollMemberInput!, $n: Int!) { enrollMember(input: $i) { id eligibleRewards(first: $n) { id } } }`, { i: { emial: "a@example.com", displayName: "x" } }, "emial", "Did you"], // "email" is named anyway: required, missing
    ] as const) {
      const result = await postGraphQL(dedicated.stack.gatewayUrl, query, variables);
      const messages = result.errors?.map((error) => error.message).join("\n") ?? "";
      expect(messages).toContain(typo);
      expect(messages).not.toMatch(/did you mean/i);
      expect(messages).not.toContain(suggested);
    }
  });

  it("closes GET /metrics on every service without METRICS_TOKEN, unless METRICS_OPEN=1", async () => {
    const metricsOf = (graphqlUrl: string) => fetch(new URL("/metrics", graphqlUrl));
    for (const service of Object.values(dedicated.stack.services)) {
      expect({ service: service.name, status: (await metricsOf(service.url)).status }).toEqual({ service: service.name, status: 404 });
      expect((await fetch(new URL("/health", service.url))).status).toBe(200);
    }
    await dedicated.stack.restart("gateway", { METRICS_OPEN: "1" });
    const open = await metricsOf(dedicated.stack.services.gateway.url);
    expect(open.status).toBe(200);
    expect(await open.text()).toContain("graphql_requests_total");
  });

  it.each([
    ["gateway", "JWT_SECRET", "change-me-jwt-secret-00000000000000000000000", "JWT_SECRET is still the placeholder from .env.example; set a secret of your own"],
    ["gateway", "METRICS_TOKEN", "change-me-metrics-token-000000000000000000", "METRICS_TOKEN is still the placeholder from .env.example"],
    ["members", "SERVICE_SECRET", "change-me-service-secret-0000000000000000", "SERVICE_SECRET is still the placeholder from .env.example"],
    ["ledger", "GATEWAY_SECRET", "change-me-gateway-secret-0000000000000000", "GATEWAY_SECRET is still the placeholder from .env.example"],
    ["catalog", "DATABASE_URL", "postgres://coalition:change-me-coalition-db@127.0.0.1:1/postgres", "DATABASE_URL holds a password that is still the placeholder from .env.example"],
  ])("%s refuses to start in production with %s still .env.example's placeholder", async (service, name, value, message) => {
    const entry = join(REPO_ROOT, "dist", service === "gateway" ? "gateway" : join("subgraphs", service), "src", "main.js");
    const secret = () => randomBytes(32).toString("base64url");
    const env = { ...process.env, NODE_ENV: "production", WORKERS: "1", GATEWAY_SECRET: secret(), SERVICE_SECRET: secret(), JWT_SECRET: secret(), GATEWAY_PORT: String(await freePort()), [name]: value };
    const child = fork(entry, [], { env, stdio: ["ignore", "pipe", "pipe", "ipc"] });
    let output = "";
    child.stdout!.on("data", (chunk) => (output += chunk));
    child.stderr!.on("data", (chunk) => (output += chunk));
    // A service that starts anyway is stopped and fails the test (rather than time it out).
    const code = await new Promise<number | string | null>((resolve) => {
      child.once("exit", resolve);
      child.on("message", (message: { type?: string }) => message?.type === "ready" && (resolve("started"), child.kill("SIGKILL")));
    });
    expect(code).not.toBe("started");
    expect(code).not.toBe(0);
    expect(output).toContain(message);
    expect(output).not.toContain(value.replace(/^.*change-me/, "change-me")); // the value itself is never printed
  });

  it("stops every service on SIGTERM at once, exit code 0 (what docker stop sends)", async () => {
    for (const service of Object.values(dedicated.stack.services)) {
      const started = Date.now();
      const exited = new Promise<number | null>((resolve) => service.child.once("exit", (code) => resolve(code)));
      service.child.kill("SIGTERM");
      expect({ service: service.name, code: await exited }).toEqual({ service: service.name, code: 0 });
      expect(Date.now() - started).toBeLessThan(5_000);
    }
  });
});
