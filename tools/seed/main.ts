import { resolve } from "node:path";
import { Client } from "pg";
import { EMBEDDED_PGPORT_DEFAULT, REPO_ROOT, SUBGRAPH_NAMES, SUBGRAPHS, embeddedDatabaseUrl, intFromEnv } from "../../shared/src/config";
import { type Logger, createLogger, logToStderr } from "../../shared/src/logger";
import { type PostgresServer, startEmbeddedPostgres } from "../stack/postgres";
import { type SeedOptions, type SeedProgress, seedCoalition } from "./seed";

/**
 * `npm run seed -- --members N [--partners P] [--rewards R] [--entries E] [--heavy-member-entries K]
 * [--batch-size B] [--concurrency C]`: bulk-seeds the coalition into the services' databases (same
 * configuration as the services; the embedded Postgres of `npm start` when DATABASE_URL is not set).
 * Progress on stderr, the summary on stdout. Safe to rerun, and to rerun after a kill.
 */

const FLAGS: Record<string, keyof SeedOptions> = {
  "--members": "members",
  "--partners": "partners",
  "--rewards": "rewards",
  "--entries": "entries",
  "--heavy-member-entries": "heavyMemberEntries",
  "--batch-size": "batchSize",
  "--concurrency": "concurrency",
  "--stop-after-batches": "stopAfterBatches",
};

export function parseArgs(argv: string[]): SeedOptions {
  const options: Record<string, number> = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=", 2);
    const key = FLAGS[flag];
    if (!key) throw new Error(`Unknown option ${argv[i]} (options: ${Object.keys(FLAGS).join(", ")})`);
    const raw = inline ?? argv[++i];
    const value = Number(String(raw).replace(/_/g, ""));
    if (!Number.isInteger(value) || value < 0) throw new Error(`${flag} needs a whole number ≥ 0, got "${raw}"`);
    options[key] = value;
  }
  return options as SeedOptions;
}

// Made when first used, so that the command sends its lines to stderr first (stdout is the summary).
let seedLog: Logger | undefined;
const log = () => (seedLog ??= createLogger("seed"));

/**
 * Without DATABASE_URL (or every service's own URL) the seed uses the embedded Postgres of `npm start`:
 * the running one when `npm start` is up, otherwise started here on the same data directory and stopped at the end.
 */
async function embeddedPostgresIfNeeded(): Promise<PostgresServer | null> {
  if (process.env.DATABASE_URL || SUBGRAPH_NAMES.every((name) => process.env[SUBGRAPHS[name].databaseUrlEnv])) return null;
  const port = intFromEnv("PGPORT", EMBEDDED_PGPORT_DEFAULT);
  if (await answers(embeddedDatabaseUrl(port))) return null;
  const dataDir = resolve(REPO_ROOT, process.env.DATA_DIR || ".data", "postgres");
  return startEmbeddedPostgres({ dataDir, port, persistent: true, log: { ...log(), info() {} } });
}

async function answers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** A `\r`-redrawn bar on a terminal; otherwise (CI, a file) one line per 10%. */
export function progressPrinter(stream: NodeJS.WriteStream = process.stderr, started = Date.now()) {
  let lastTenth = -1;
  return (p: SeedProgress) => {
    const fraction = p.entriesTotal ? p.entriesDone / p.entriesTotal : p.batchesDone / Math.max(1, p.batchesTotal);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const text = `${Math.floor(fraction * 100)}% ${p.entriesDone.toLocaleString("en")}/${p.entriesTotal.toLocaleString("en")} entries, batch ${p.batchesDone}/${p.batchesTotal}, ${seconds} s`;
    if (stream.isTTY) {
      const width = 30;
      const filled = Math.round(fraction * width);
      stream.write(`\r[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${text}\x1b[K`);
      if (p.batchesDone === p.batchesTotal) stream.write("\n");
    } else if (Math.floor(fraction * 10) > lastTenth || p.batchesDone === p.batchesTotal) {
      lastTenth = Math.floor(fraction * 10);
      stream.write(`seed: ${text}\n`);
    }
  };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const postgres = await embeddedPostgresIfNeeded();
  const stop = async () => postgres?.stop().catch((error) => log().warn("postgres stop", { error }));
  // Ctrl-C: each batch is one transaction, so stopping anywhere is safe; stop our Postgres too.
  const onSignal = () => void stop().then(() => process.exit(130));
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    const summary = await seedCoalition({ ...options, databaseUrl: postgres?.url, onProgress: progressPrinter() });
    const seconds = summary.elapsedMs / 1000;
    process.stdout.write(
      [
        `Seeded ${summary.complete ? "" : "(stopped early) "}the coalition in ${seconds.toFixed(1)} s:`,
        `  members   ${summary.members.toLocaleString("en")}   (light: ${summary.lightMember.email} ${summary.lightMember.id}` +
          (summary.heavyMember ? `; heavy: ${summary.heavyMember.email} ${summary.heavyMember.id}, ${summary.heavyMember.entries.toLocaleString("en")} entries)` : ")"),
        `  partners  ${summary.partners}`,
        `  rewards   ${summary.rewards}`,
        `  entries   ${summary.entries.toLocaleString("en")} purchases (EARN ledger entries), anchored at ${summary.anchor.toISOString()}`,
        `  batches   ${summary.batches.written} written, ${summary.batches.skipped} already complete, of ${summary.batches.total}`,
        `  rows      ${summary.rowsWritten.toLocaleString("en")} written, ${summary.rowsPerSecond.toLocaleString("en")} rows/s`,
        "",
      ].join("\n"),
    );
  } finally {
    await stop();
  }
}

if (require.main === module) {
  logToStderr();
  main().catch((error) => {
    process.stderr.write(`\nseed failed: ${error instanceof Error ? (error.stack ?? error.message) : error}\n`);
    process.exit(1);
  });
}
