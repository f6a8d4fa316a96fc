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

  it("the ledger: its settings that are not numbers, and what every process reads, all named at once, without a stack", async () => {
    const { code, output } = await start("subgraphs/ledger/src/main.js", {
      SETTLEMENT_CURRENCY: "euro", POINTS_EXPIRY_MONTHS: "6", REFERRAL_BONUS_POINTS: "0", EXPIRY_RUN_SECONDS: "-5", NODE_ENV: "prod", LOG_LEVEL: "verbose", DATABASE_URL: "notaurl",
    });
    expect(code).toBe(1);
    for (const named of ["SETTLEMENT_CURRENCY must be three capital letters", "POINTS_EXPIRY_MONTHS must be a whole number of at least 13", "REFERRAL_BONUS_POINTS must be between 1 and", "EXPIRY_RUN_SECONDS must be",
      'NODE_ENV must be one of production, development, test, got \\"prod\\"', 'LOG_LEVEL must be one of', "DATABASE_URL must be a URL"]) {
      expect(output).toContain(named);
    }
    expect(output).not.toMatch(/\n\s+at /); // no stack trace: it failed at import before
    expect(output).not.toContain("notaurl"); // a URL may hold a password
    // A currency other than EUR is a setting, not an error (it was refused as "not a number").
    const usd = await start("subgraphs/ledger/src/main.js", { SETTLEMENT_CURRENCY: "USD", DB_POOL_SIZE: "-1", DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" });
    expect(usd.output).toContain("DB_POOL_SIZE must be");
    expect(usd.output).not.toContain("SETTLEMENT_CURRENCY");
  });

  it("the gateway: an origin without its scheme in CORS_ORIGINS", async () => {
    const { code, output } = await start("gateway/src/main.js", { CORS_ORIGINS: "https://ok.example.com,app.example.com" });
    expect(code).toBe(1);
    expect(output).toContain('CORS_ORIGINS must list origins such as https://app.example.com (or *), got \\"app.example.com\\"');
  });

  it("every subgraph checks DB_POOL_SIZE", async () => {
    for (const name of ["members", "partners", "catalog"]) {
      const { code, output } = await start(`subgraphs/${name}/src/main.js`, { DB_POOL_SIZE: "-1", DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" });
      expect(code).toBe(1);
      expect(output).toContain("DB_POOL_SIZE must be an integer of at least 1");
    }
  });
});
