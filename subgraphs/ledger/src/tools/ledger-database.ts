import "reflect-metadata";
import type { DataSource } from "typeorm";
import { subgraphDatabaseUrl } from "../../../../shared/src/config";
import { createDataSource, maintenanceTimeouts } from "../../../../shared/src/database";
import { createLogger } from "../../../../shared/src/logger";
import { entities, migrations } from "../data-source";

/** The ledger's own database, for the operator tools (same configuration as the service). */
export async function openLedgerDatabase(): Promise<DataSource> {
  // A full audit may run for minutes and expiry waits its turn for members' locks: no statement or lock limit.
  const dataSource = createDataSource({ url: subgraphDatabaseUrl("ledger"), entities, migrations, log: createLogger("ledger-tools"), poolSize: 2, timeouts: maintenanceTimeouts() });
  await dataSource.initialize();
  return dataSource;
}

/** `--now 2027-01-01T00:00:00Z` runs a tool as of another time (tests, or catching up after an outage). */
export function nowFromArgs(argv = process.argv): Date {
  const index = argv.indexOf("--now");
  if (index === -1) return new Date();
  const now = new Date(argv[index + 1] ?? "");
  if (Number.isNaN(now.getTime())) throw new Error(`--now needs an ISO date-time, got "${argv[index + 1]}"`);
  return now;
}
