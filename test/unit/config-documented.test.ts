import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadGatewayConfig } from "../../gateway/src/config";

/**
 * The README's Configuration table is where an operator looks a setting up: every variable the gateway
 * reads at start is named there. QUERY_DEFAULT_LIST_SIZE (the page size the query cost assumes for a
 * list field without `first`) was read and never mentioned.
 */
const README = readFileSync(join(__dirname, "..", "..", "README.md"), "utf8");
const configuration = README.slice(README.indexOf("\n## Configuration\n"), README.indexOf("\n## ", README.indexOf("\n## Configuration\n") + 1));

/** The variables a reader of the environment looks at (read through a proxy that records each name). */
function variablesRead(read: (env: NodeJS.ProcessEnv) => unknown, base: NodeJS.ProcessEnv): string[] {
  const names = new Set<string>();
  const env = new Proxy(base, {
    get(target, name) {
      if (typeof name === "string" && /^[A-Z][A-Z0-9_]+$/.test(name)) names.add(name);
      return Reflect.get(target, name);
    },
  });
  read(env);
  return [...names].sort();
}

describe("the README's configuration table", () => {
  it("names every variable the gateway reads", () => {
    const secrets = { GATEWAY_SECRET: "g".repeat(32), SERVICE_SECRET: "s".repeat(32), JWT_SECRET: "j".repeat(32) };
    const read = variablesRead(loadGatewayConfig, { ...secrets });
    expect(read).toEqual(expect.arrayContaining(["QUERY_MAX_COST", "TRUSTED_DOCUMENTS"]));
    expect(read.filter((name) => !new RegExp(`\\b${name}\\b`).test(configuration))).toEqual([]);
  });
});
