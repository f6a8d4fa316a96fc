import { SUBGRAPH_NAMES, withDatabase } from "../shared/src/config";
import { dropDatabase } from "../shared/src/database";
import { postGraphQL } from "../shared/src/stack/graphql-client";
import { type Stack, startStack } from "../shared/src/stack/services";

/** With NODE_ENV=production: no introspection, no landing page, no test clock, unless explicitly enabled. */
describe("production mode", () => {
  const suffix = `_production_${process.pid}`;
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({
      env: { ...process.env, DATABASE_URL: process.env.TEST_DATABASE_URL, DATABASE_NAME_SUFFIX: suffix, LOG_LEVEL: "warn", NODE_ENV: "production", LEDGER_TEST_CLOCK: "1" },
      freePorts: true,
      logFile: process.env.TEST_SERVICES_LOG,
    });
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    for (const name of SUBGRAPH_NAMES) await dropDatabase(withDatabase(process.env.TEST_DATABASE_URL!, `coalition_${name}${suffix}`));
  });

  it("refuses introspection and serves no landing page", async () => {
    const result = await postGraphQL(stack.gatewayUrl, `{ __schema { types { name } } }`);
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.[0]?.message).toMatch(/introspection/i);
    const page = await fetch(stack.gatewayUrl, { headers: { accept: "text/html" } });
    expect(await page.text()).not.toMatch(/<html|sandbox/i);
  });

  it("still answers ordinary queries, and ignores the test clock", async () => {
    expect((await postGraphQL(stack.gatewayUrl, `{ partners { id } }`)).errors).toBeUndefined();
    const clock = await fetch(new URL("/test/clock", stack.services.ledger.url), { method: "PUT", headers: { "content-type": "application/json" }, body: "{}" });
    expect(clock.status).toBe(404);
  });
});
