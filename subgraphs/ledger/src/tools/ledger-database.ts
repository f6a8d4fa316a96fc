import "reflect-metadata";
import type { DataSource } from "typeorm";
import { subgraphDatabaseUrl } from "../../../../shared/src/config";
import { createDataSource, maintenanceTimeouts } from "../../../../shared/src/database";
import { createLogger, logToStderr } from "../../../../shared/src/logger";
import { entities, migrations } from "../data-source";

/** The ledger's own database, for the operator tools (same configuration as the service). */
export async function openLedgerDatabase(): Promise<DataSource> {
  // A full audit may run for minutes and expiry waits its turn for members' locks: no statement or lock limit.
  const dataSource = createDataSource({ url: subgraphDatabaseUrl("ledger"), entities, migrations, log: createLogger("ledger-tools"), poolSize: 2, timeouts: maintenanceTimeouts() });
  await dataSource.initialize();
  return dataSource;
}

/** How far past the machine's clock `--now` may be without `--allow-future` (clocks of two machines differ a little). */
const FUTURE_SLACK_MS = 60_000;

/**
 * `--now 2027-01-01T00:00:00Z` runs a tool as of another time (tests, or catching up after an outage).
 * A time later than the clock is refused unless `--allow-future` is given too: an expiry run as of a
 * mistyped year expires every lot due by then, before its time and for good (a test's database that
 * moves its clock forward passes the flag).
 */
export function nowFromArgs(argv = process.argv, clock = new Date()): Date {
  const index = argv.indexOf("--now");
  if (index === -1) return clock;
  const now = new Date(argv[index + 1] ?? "");
  if (Number.isNaN(now.getTime())) throw new Error(`--now needs an ISO date-time, got "${argv[index + 1]}"`);
  if (now.getTime() - clock.getTime() > FUTURE_SLACK_MS && !argv.includes("--allow-future")) {
    throw new Error(
      `--now ${now.toISOString()} is later than this machine's clock (${clock.toISOString()}): it would act before its time, for good ` +
        `(lots expired early). Pass --allow-future as well if that is meant (a test database)`,
    );
  }
  return now;
}

/**
 * Runs an operator tool against the ledger's database, when the file is run as a script: the database
 * opened and always closed, and a failure to run at all (unreachable database, bad arguments) exit
 * code 2, apart from the tool's own verdicts (its exitCode: 0 clean, 1 mismatches, or for ledger:expire
 * members whose expiry failed).
 */
export function runLedgerTool(module: NodeModule, work: (dataSource: DataSource) => Promise<void>): void {
  if (require.main !== module) return;
  // stdout is the tool's report (a verdict, a CSV): its log lines (a slow query's warning) go to stderr.
  logToStderr();
  (async () => {
    const dataSource = await openLedgerDatabase();
    try {
      await work(dataSource);
    } finally {
      await dataSource.destroy();
    }
  })().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  });
}

/** What a verifier prints and its exit code: 1 when anything mismatched. */
export interface Verdict {
  code: 0 | 1;
  output: string;
}

/** A verifier's report and verdict line (`clean` when nothing mismatched), as its command prints them. */
export function verdictOf({ problems, report }: { problems: number; report: string[] }, clean: string): Verdict {
  return { code: problems ? 1 : 0, output: `${report.join("\n")}\n${problems ? `${problems} mismatches.` : clean}\n` };
}

/** Prints a verifier's verdict and sets the process's exit code from it. */
export function printVerdict(verdict: Verdict): void {
  process.stdout.write(verdict.output);
  process.exitCode = verdict.code;
}
