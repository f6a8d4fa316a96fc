import { type ChildProcess, execFile, fork } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { join } from "node:path";
import { promisify } from "node:util";
import { Client } from "pg";
import { REPO_ROOT, withDatabase } from "../shared/src/config";
import { dropDatabase } from "../shared/src/database";
import { freePort, stopChild } from "../tools/stack/services";

/**
 * README, Configuration (SETTLEMENT_CURRENCY): the ledger records its settlement currency in its database
 * at first start and refuses to start with another while anything is priced in it (terms, closed periods):
 * amounts are minor units with no currency of their own, and two currencies' would be mixed silently.
 * Through real starts of the ledger's process, on a database of its own.
 */
const url = withDatabase(process.env.TEST_DATABASE_URL!, `coalition_ledger_currency${process.env.TEST_DATABASE_NAME_SUFFIX}`);
const secret = () => randomBytes(32).toString("base64");

interface StartOptions {
  /** More environment (DB_LOCK_TIMEOUT_MS, say). */
  env?: Record<string, string>;
  /** How long a start may take before it is killed (outcome null): a start that hangs. */
  timeoutMs?: number;
  /** Sees the output as it comes (to act while the ledger starts). */
  onOutput?: (output: string) => void;
}

const baseEnv = () => ({ PATH: process.env.PATH, APOLLO_TELEMETRY_DISABLED: "1", NODE_ENV: "test", LOG_LEVEL: "warn", LEDGER_DATABASE_URL: url });
/** SETTLEMENT_CURRENCY=`currency`, or not in the environment at all when undefined. */
const currencyEnv = (currency: string | undefined): Record<string, string> => (currency === undefined ? {} : { SETTLEMENT_CURRENCY: currency });

/** Starts the ledger with SETTLEMENT_CURRENCY=`currency` (undefined: unset): "ready" (then stopped), or its exit code, with its output. */
async function start(currency: string | undefined, { env: more = {}, timeoutMs = 60_000, onOutput }: StartOptions = {}): Promise<{ outcome: "ready" | number | null; output: string }> {
  const env = {
    ...baseEnv(), WORKERS: "1", EXPIRY_RUN_SECONDS: "0",
    GATEWAY_SECRET: secret(), SERVICE_SECRET: secret(), JWT_SECRET: secret(),
    LEDGER_PORT: String(await freePort()), ...currencyEnv(currency), ...more,
  };
  const child: ChildProcess = fork(join(REPO_ROOT, "dist/subgraphs/ledger/src/main.js"), [], { env, stdio: ["ignore", "pipe", "pipe", "ipc"] });
  let output = "";
  const seen = (chunk: Buffer) => {
    output += chunk;
    onOutput?.(output);
  };
  child.stdout!.on("data", seen);
  child.stderr!.on("data", seen);
  const outcome = await new Promise<"ready" | number | null>((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("message", (message: { type?: string }) => {
      if (message?.type !== "ready") return;
      clearTimeout(timer);
      resolve("ready");
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
  await stopChild(child);
  return { outcome, output };
}

/** Runs `npm run clearing:export` on this database with SETTLEMENT_CURRENCY=`currency` (undefined: unset): exit code and output. */
async function exportPeriod(currency: string | undefined, period: string): Promise<{ code: number; output: string }> {
  const tool = join(REPO_ROOT, "dist/subgraphs/ledger/src/tools/clearing-export.js");
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [tool, "--period", period], { env: { ...baseEnv(), ...currencyEnv(currency) } });
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: `${failed.stdout}${failed.stderr}` };
  }
}

async function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows;
  } finally {
    await client.end();
  }
}

beforeAll(() => dropDatabase(url));
afterAll(() => dropDatabase(url));

describe("SETTLEMENT_CURRENCY and the currency the ledger's database holds", () => {
  it("a fresh database takes the setting's; with terms in it, another currency stops the start, naming both", async () => {
    expect((await start("USD")).outcome).toBe("ready");
    expect(await sql(`SELECT currency FROM settlement_currency`)).toEqual([{ currency: "USD" }]);
    // Nothing priced yet (no terms, no closed period): the recorded currency may still change.
    expect((await start("EUR")).outcome).toBe("ready");
    expect(await sql(`SELECT currency FROM settlement_currency`)).toEqual([{ currency: "EUR" }]);

    // Terms in EUR minor units: 1,000 cents per 1,000 points.
    await sql(
      `INSERT INTO partner_terms (partner_id, version, effective_from, issue_price_per_1000, redemption_price_per_1000, breakage_share_percent, billing)
       VALUES ($1, 1, now(), 1000, 800, 50, 'POSTPAID')`,
      [randomUUID()],
    );
    const refused = await start("USD");
    expect(refused.outcome).toBe(1);
    expect(refused.output).toContain("SETTLEMENT_CURRENCY is USD but this ledger's terms and statements are in EUR");
    expect(refused.output).toContain("subgraph failed to start");
    expect(await sql(`SELECT currency FROM settlement_currency`)).toEqual([{ currency: "EUR" }]);
    expect((await start("EUR")).outcome).toBe("ready");
  });

  it("a database from before the recorded currency, with terms in it, starts only with SETTLEMENT_CURRENCY set: the operator names the terms' currency", async () => {
    // Upgraded: terms priced (above, in EUR) but no currency recorded, as before SettlementCurrency1734890000001.
    await sql(`DELETE FROM settlement_currency`);
    for (const unset of [undefined, "", "  "]) {
      const refused = await start(unset);
      expect(refused.outcome).toBe(1);
      expect(refused.output).toContain("this ledger's database has terms or closed periods but no settlement currency recorded");
      expect(refused.output).toContain("Set SETTLEMENT_CURRENCY to the currency they are in");
      expect(await sql(`SELECT currency FROM settlement_currency`)).toEqual([]);
    }
    // The operator vouches: what they set is recorded, and kept from then on.
    expect((await start("EUR")).outcome).toBe("ready");
    expect(await sql(`SELECT currency FROM settlement_currency`)).toEqual([{ currency: "EUR" }]);
    expect((await start(undefined)).outcome).toBe("ready"); // EUR recorded, the default EUR: agreed
    expect((await start("USD")).outcome).toBe(1);

    // Nothing priced and nothing recorded (a fresh database): the default, unset, is recorded.
    await dropDatabase(url);
    expect((await start(undefined)).outcome).toBe("ready");
    expect(await sql(`SELECT currency FROM settlement_currency`)).toEqual([{ currency: "EUR" }]);
  });

  it("the start's check waits a bounded time for the terms' lock, tries again, then stops naming why", async () => {
    const holder = new Client({ connectionString: url });
    await holder.connect();
    try {
      // Another session writing terms (or closing a period) holds a lock the check's SHARE lock waits for.
      await holder.query(`BEGIN`);
      await holder.query(`LOCK TABLE partner_terms IN ROW EXCLUSIVE MODE`);
      const env = { DB_LOCK_TIMEOUT_MS: "300" };
      const refused = await start("EUR", { env, timeoutMs: 20_000 });
      expect(refused.outcome).toBe(1);
      expect(refused.output).toContain("could not check the settlement currency: another session held the ledger's terms or periods");

      // Released while the start waits between tries: it goes on and starts.
      let released: Promise<unknown> | null = null;
      const started = await start("EUR", {
        env, timeoutMs: 20_000,
        onOutput: (output) => void (!released && output.includes("settlement currency check waited") && (released = holder.query(`COMMIT`))),
      });
      expect(released).not.toBeNull();
      expect(started.outcome).toBe("ready");
    } finally {
      await holder.end();
    }
  }, 60_000);

  it("clearing:export reports in the recorded currency, and refuses another SETTLEMENT_CURRENCY while anything is priced", async () => {
    await sql(`DELETE FROM settlement_currency`);
    expect((await start("USD")).outcome).toBe("ready");
    await sql(
      `INSERT INTO partner_terms (partner_id, version, effective_from, issue_price_per_1000, redemption_price_per_1000, breakage_share_percent, billing)
       VALUES ($1, 1, now(), 1000, 800, 50, 'POSTPAID')`,
      [randomUUID()],
    );
    const period = new Date().toISOString().slice(0, 7);
    for (const agreed of [undefined, "USD"]) {
      const exported = await exportPeriod(agreed, period);
      expect(exported.code).toBe(0);
      expect(exported.output).toMatch(/,USD,/);
      expect(exported.output).not.toMatch(/,EUR,/);
    }
    const refused = await exportPeriod("GBP", period);
    expect(refused.code).toBe(2);
    expect(refused.output).toContain("SETTLEMENT_CURRENCY is GBP but this ledger's terms and statements are in USD");

    // Upgraded (nothing recorded, terms priced): the tool, like the start, needs the currency named.
    await sql(`DELETE FROM settlement_currency`);
    const unnamed = await exportPeriod(undefined, period);
    expect(unnamed.code).toBe(2);
    expect(unnamed.output).toContain("no settlement currency recorded");
    expect((await exportPeriod("USD", period)).output).toMatch(/,USD,/);
    expect(await sql(`SELECT currency FROM settlement_currency`)).toEqual([]); // a tool records nothing
  });
});
