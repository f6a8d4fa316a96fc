import { postGraphQL } from "../shared/src/stack/graphql-client";
import { useDedicatedStack } from "./support/dedicated-stack";

/** With NODE_ENV=production: no introspection, no landing page, no test clock, unless explicitly enabled. */
describe("production mode", () => {
  const dedicated = useDedicatedStack("production", { NODE_ENV: "production", LEDGER_TEST_CLOCK: "1" });

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
});
