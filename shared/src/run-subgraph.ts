import "reflect-metadata";
import { ApolloServerPluginInlineTraceDisabled } from "@apollo/server/plugin/disabled";
import { auditFailedWrites } from "./audit/failed-writes";
import { printSubgraphSchema } from "@apollo/subgraph";
import type { Express } from "express";
import type { DataSource } from "typeorm";
import { type DatabaseSettings, type EnvReader, SUBGRAPHS, checkProcessSettings, isDevelopment, loadSettings, readDatabaseSettings, subgraphDatabaseUrl } from "./config";
import { createDataSource, migrateDatabase } from "./database";
import { createErrorFormatter } from "./errors";
import { serveGraphQL } from "./http-server";
import { type Logger, createLogger } from "./logger";
import { type PoolStats, watchDatabasePool } from "./metrics";
import { stopTelemetry } from "./telemetry";
import { refusePlaceholderSecrets } from "./auth/placeholder-secrets";
import { type ProofSecrets, proofSecrets } from "./auth/proof";
import { setServiceIdentity } from "./auth/service-identity";
import type { Subgraph } from "./subgraph-definition";
import { stopOnSignals } from "./shutdown";
import { readBreakerSettings } from "./circuit-breaker";
import { type AdmissionLimits, SUBGRAPH_ADMISSION_DEFAULTS, readAdmissionLimits } from "./overload";
import { SUBGRAPH_CALL_TIMEOUT_DEFAULT_MS } from "./subgraph-client";
import { closePreparedQueries, preparedQueriesWaiting } from "./prepared-query";
import { isClusterPrimary, runPrimary, workerCount, workerIndex } from "./workers";

/** A subgraph (its `src/subgraph.ts`) and what only its process adds. */
export interface SubgraphDefinition<TContext extends object> extends Subgraph<TContext> {
  routes?: (app: Express) => void;
  /** Work that runs beside the server (e.g. a recovery sweep); returns how to stop it. */
  background?: (dataSource: DataSource, log: Logger) => () => void;
  /** Forces the number of processes (e.g. 1 while a test clock must be one clock); otherwise `WORKERS`. */
  workers?: number;
}

/** A subgraph process's configuration, read and checked once, at start. */
export interface SubgraphConfig {
  port: number;
  databaseUrl: string;
  workers: number;
  database: DatabaseSettings;
  secrets: ProofSecrets;
  admission: AdmissionLimits;
}

/** Every setting a subgraph process reads (its own `settings` included), each problem named. */
export function readSubgraphConfig(definition: Pick<SubgraphDefinition<object>, "name" | "settings" | "settingReaders" | "workers">, env: EnvReader): SubgraphConfig {
  const { portEnv, defaultPort } = SUBGRAPHS[definition.name];
  env.check(() => refusePlaceholderSecrets(env.env), undefined);
  checkProcessSettings(env);
  // Read where they are used (services, clients); checked here.
  env.int("SERVICE_CALL_TIMEOUT_MS", SUBGRAPH_CALL_TIMEOUT_DEFAULT_MS, { min: 1 });
  readBreakerSettings(env);
  for (const name of definition.settings ?? []) {
    const read = definition.settingReaders?.[name];
    if (read) env.check(read, undefined);
    else env.int(name, 0);
  }
  return {
    port: env.int(portEnv, defaultPort, { max: 65_535 }),
    databaseUrl: env.check(() => subgraphDatabaseUrl(definition.name), ""),
    workers: definition.workers ?? env.check(() => workerCount(env.env), 1),
    database: readDatabaseSettings(env),
    secrets: env.check(() => proofSecrets(env.env), { gateway: "", service: "" }),
    admission: readAdmissionLimits(env, "SUBGRAPH", SUBGRAPH_ADMISSION_DEFAULTS),
  };
}

/**
 * The whole life of a subgraph process: its database (created and migrated), its schema, its HTTP
 * server, and a clean stop on SIGINT/SIGTERM. With `--print-schema` it prints its SDL and exits.
 * With several workers, the primary migrates once and then forks the workers that serve.
 */
export async function runSubgraph<TContext extends object>(definition: SubgraphDefinition<TContext>): Promise<void> {
  if (process.argv.includes("--print-schema")) {
    process.stdout.write(printSubgraphSchema(await definition.buildSchema()));
    return;
  }
  const log = createLogger(definition.name);
  try {
    // Every setting, read and checked once: a bad one stops the start here, named.
    const config = loadSettings((env) => readSubgraphConfig(definition, env));
    const { secrets, workers } = config;
    setServiceIdentity(definition.name, secrets.service);
    const database = { url: config.databaseUrl, entities: definition.entities, migrations: definition.migrations, log };
    // The process that migrates checks what the database must agree with (checkDatabase) before any worker serves.
    if (isClusterPrimary(workers)) {
      await migrateDatabase(database, definition.checkDatabase);
      runPrimary(definition.name, workers, log);
      return;
    }
    if (workers === 1) await migrateDatabase(database, definition.checkDatabase);
    const dataSource = createDataSource({ ...database, poolSize: config.database.poolSize, timeouts: config.database.timeouts });
    await dataSource.initialize();

    const schema = await definition.buildSchema();
    // TypeORM's postgres driver keeps its pg Pool as `master`.
    const pool = () => (dataSource.driver as unknown as { master?: PoolStats }).master;
    // A full pool is a fast refusal (503, UPSTREAM_UNAVAILABLE at the gateway), not a DB_CONNECT_TIMEOUT_MS wait per request.
    // Queries waiting for the prepared reads' connections count too: they wait on the same database.
    const maxWaiting = config.database.poolMaxWaiting;
    const saturated = () => (pool()?.waitingCount ?? 0) + preparedQueriesWaiting(dataSource) >= maxWaiting;
    const server = await serveGraphQL({
      port: config.port,
      apollo: {
        schema,
        formatError: createErrorFormatter(log),
        includeStacktraceInErrorResponses: isDevelopment(),
        plugins: [ApolloServerPluginInlineTraceDisabled(), auditFailedWrites(dataSource, log)],
      },
      context: async (req, identity) => definition.createContext(dataSource, req, identity),
      health: async () => void (await dataSource.query("SELECT 1")),
      routes: definition.routes,
      requireProof: { ...secrets, audience: definition.name },
      admission: { ...config.admission, saturated },
      log,
    });
    watchDatabasePool(pool);
    // One sweeper per service, not one per worker.
    const stopBackground = workerIndex() === 0 ? definition.background?.(dataSource, log) : undefined;
    log.info("subgraph ready", { url: server.url });
    process.send?.({ type: "ready", service: definition.name, url: server.url });

    stopOnSignals(log, async () => {
      stopBackground?.();
      await server.stop();
      await dataSource.destroy();
      await closePreparedQueries(dataSource);
      await stopTelemetry();
    });
  } catch (error) {
    log.error("subgraph failed to start", { error });
    process.exit(1);
  }
}
