import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import type { DataSource } from "typeorm";
import { REPO_ROOT, withDatabase } from "../../shared/src/config";
import { createDataSource, maintenanceTimeouts } from "../../shared/src/database";
import type { Logger } from "../../shared/src/logger";
import { clearingVerdict } from "../../subgraphs/ledger/src/tools/clearing-verify";
import type { Verdict } from "../../subgraphs/ledger/src/tools/ledger-database";
import { ledgerVerdict } from "../../subgraphs/ledger/src/tools/verify";

const run = promisify(execFile);

type LedgerTool = "verify" | "expire" | "clearing-verify" | "clearing-export";

/** The verifiers the suite runs in its own process: their commands print exactly these verdicts (test/ledger-tools-cli.test.ts). */
const VERDICTS: Partial<Record<LedgerTool, (dataSource: DataSource) => Promise<Verdict>>> = { verify: ledgerVerdict, "clearing-verify": clearingVerdict };
const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Runs one of the ledger's operator tools (ledger:verify, ledger:expire, clearing:verify, clearing:export)
 * against the test stack's ledger database. The two verifiers, which the suite runs hundreds of times,
 * run here, on a connection pool of their own like the command's (a process each cost half a second to
 * start, more than most verifications); the others, and any tool given arguments, as the command.
 */
export async function ledgerTool(tool: LedgerTool, args: string[] = [], suffix = process.env.TEST_DATABASE_NAME_SUFFIX): Promise<{ code: number; output: string }> {
  const verdict = VERDICTS[tool];
  if (!verdict || args.length) return ledgerToolProcess(tool, args, suffix);
  const dataSource = createDataSource({ url: ledgerUrlOf(suffix), entities: [], migrations: [], log: quiet, poolSize: 2, timeouts: maintenanceTimeouts() });
  try {
    await dataSource.initialize();
    return await verdict(dataSource);
  } catch (error) {
    // As the command: a failure to run at all is exit code 2 with its message.
    return { code: 2, output: `${error instanceof Error ? error.message : error}\n` };
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}

/** Runs one of the ledger's operator tools as its command does: a process of its own, its stdout and stderr, its exit code. */
export async function ledgerToolProcess(tool: LedgerTool, args: string[] = [], suffix = process.env.TEST_DATABASE_NAME_SUFFIX): Promise<{ code: number; output: string }> {
  const { code, stdout, stderr } = await ledgerToolStreams(tool, args, suffix);
  // A clean run's report is its stdout; a failure's message or warnings may be on stderr.
  return { code, output: code === 0 ? stdout : `${stdout}${stderr}` };
}

/** As ledgerToolProcess, stdout and stderr apart: a tool's report is on stdout, its log lines on stderr. */
export async function ledgerToolStreams(tool: LedgerTool, args: string[] = [], suffix = process.env.TEST_DATABASE_NAME_SUFFIX): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, LEDGER_DATABASE_URL: ledgerUrlOf(suffix) };
  try {
    // The tests move the ledger's clock forward: a --now later than the machine's clock is meant here.
    const toolArgs = args.includes("--now") ? [...args, "--allow-future"] : args;
    const { stdout, stderr } = await run(process.execPath, [join(REPO_ROOT, "dist/subgraphs/ledger/src/tools", `${tool}.js`), ...toolArgs], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const ledgerUrlOf = (suffix = process.env.TEST_DATABASE_NAME_SUFFIX) => withDatabase(process.env.TEST_DATABASE_URL!, `coalition_ledger${suffix}`);

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
