import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT, withDatabase } from "../../shared/src/config";

const run = promisify(execFile);

/** Runs one of the ledger's operator tools (ledger:verify, ledger:expire, clearing:verify, clearing:export) against the test stack's ledger database. */
export async function ledgerTool(tool: "verify" | "expire" | "clearing-verify" | "clearing-export", args: string[] = [], suffix = process.env.TEST_DATABASE_NAME_SUFFIX): Promise<{ code: number; output: string }> {
  const env = { ...process.env, LEDGER_DATABASE_URL: withDatabase(process.env.TEST_DATABASE_URL!, `coalition_ledger${suffix}`) };
  try {
    // The tests move the ledger's clock forward: a --now later than the machine's clock is meant here.
    const toolArgs = args.includes("--now") ? [...args, "--allow-future"] : args;
    const { stdout } = await run(process.execPath, [join(REPO_ROOT, "dist/subgraphs/ledger/src/tools", `${tool}.js`), ...toolArgs], { env });
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: `${failed.stdout}${failed.stderr}` };
  }
}

/** Asserts that every balance still matches the history (the suite runs it after every concurrency test). */
export async function expectLedgerConsistent(suffix?: string): Promise<void> {
  const { code, output } = await ledgerTool("verify", [], suffix);
  if (code !== 0) throw new Error(`ledger:verify failed:\n${output}`);
  expect(output).toContain("Every balance matches its history.");
}

const DAY = 86_400_000;

/** Moves the ledger's clock (LEDGER_TEST_CLOCK=1) forward by whole days; `travel(0)` returns to now. */
export async function travel(days: number, ledgerUrl = process.env.TEST_LEDGER_URL!): Promise<Date> {
  const url = new URL(ledgerUrl);
  url.pathname = "/test/clock";
  const response = await fetch(url, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ offsetMs: days * DAY }) });
  return new Date(((await response.json()) as { now: string }).now);
}
