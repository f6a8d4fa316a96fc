import { fork } from "node:child_process";
import { join } from "node:path";
import { REPO_ROOT } from "../shared/src/config";

/**
 * Configuration is read and checked once, at start: a bad value stops the process before it serves
 * anything (before any database or subgraph is reached), with the variable's name in its log.
 */
function start(entry: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const child = fork(join(REPO_ROOT, "dist", entry), [], {
    env: { PATH: process.env.PATH, APOLLO_TELEMETRY_DISABLED: "1", GATEWAY_SECRET: "g".repeat(32), SERVICE_SECRET: "s".repeat(32), JWT_SECRET: "j".repeat(32), ...env },
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  return new Promise((resolve) =>
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    }),
  );
}

describe("a bad setting stops the start, named", () => {
  it("the gateway: QUERY_MAX_COST=abc", async () => {
    const { code, output } = await start("gateway/src/main.js", { QUERY_MAX_COST: "abc", GATEWAY_PORT: "1" });
    expect(code).toBe(1);
    expect(output).toContain('QUERY_MAX_COST must be a non-negative integer, got \\"abc\\"');
    expect(output).toContain("gateway failed to start");
  });

  it("a subgraph: DB_POOL_SIZE=-1, and its own settings (TRANSFER_DAILY_LIMIT) in the same message", async () => {
    // No database anywhere near: the check comes first.
    const { code, output } = await start("subgraphs/ledger/src/main.js", { DB_POOL_SIZE: "-1", TRANSFER_DAILY_LIMIT: "lots", DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" });
    expect(code).toBe(1);
    expect(output).toContain('DB_POOL_SIZE must be an integer of at least 1, got \\"-1\\"');
    expect(output).toContain("TRANSFER_DAILY_LIMIT must be a non-negative integer");
    expect(output).toContain("subgraph failed to start");
  });

  it("every subgraph checks DB_POOL_SIZE", async () => {
    for (const name of ["members", "partners", "catalog"]) {
      const { code, output } = await start(`subgraphs/${name}/src/main.js`, { DB_POOL_SIZE: "-1", DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" });
      expect(code).toBe(1);
      expect(output).toContain("DB_POOL_SIZE must be an integer of at least 1");
    }
  });
});
