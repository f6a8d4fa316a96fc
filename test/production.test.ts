import { postGraphQL } from "../shared/src/stack/graphql-client";
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
