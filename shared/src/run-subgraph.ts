import "reflect-metadata";
import { ApolloServerPluginInlineTraceDisabled } from "@apollo/server/plugin/disabled";
import { printSubgraphSchema } from "@apollo/subgraph";
import type { Express, Request } from "express";
import type { GraphQLSchema } from "graphql";
import type { DataSource, EntitySchema, MixedList } from "typeorm";
import { type SubgraphName, isDevelopment, subgraphDatabaseUrl, subgraphPort } from "./config";
import { createDataSource, ensureDatabase } from "./database";
import { createErrorFormatter } from "./errors";
import { serveGraphQL } from "./http-server";
import { type Logger, createLogger } from "./logger";
import { type Identity, proofSecrets } from "./auth/proof";
import { setServiceIdentity } from "./auth/service-identity";
import { stopOnSignals } from "./shutdown";

export interface SubgraphDefinition<TContext extends object> {
  name: SubgraphName;
  entities: MixedList<Function | string | EntitySchema>;
  migrations: MixedList<Function | string>;
  buildSchema(): Promise<GraphQLSchema>;
  /** Per request; `identity` is who the gateway (or a calling service) vouched for. */
  createContext(dataSource: DataSource, req: Request, identity: Identity): TContext;
  routes?: (app: Express) => void;
  /** Work that runs beside the server (e.g. a recovery sweep); returns how to stop it. */
  background?: (dataSource: DataSource, log: Logger) => () => void;
}

/**
 * The whole life of a subgraph process: its database (created and migrated), its schema, its HTTP
 * server, and a clean stop on SIGINT/SIGTERM. With `--print-schema` it prints its SDL and exits.
 */
export async function runSubgraph<TContext extends object>(definition: SubgraphDefinition<TContext>): Promise<void> {
  if (process.argv.includes("--print-schema")) {
    process.stdout.write(printSubgraphSchema(await definition.buildSchema()));
    return;
  }
  const log = createLogger(definition.name);
  try {
    const secrets = proofSecrets();
    setServiceIdentity(definition.name, secrets.service);
    const url = subgraphDatabaseUrl(definition.name);
    await ensureDatabase(url);
    const dataSource = createDataSource({ url, entities: definition.entities, migrations: definition.migrations, log });
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: "all" });

    const schema = await definition.buildSchema();
    const server = await serveGraphQL({
      port: subgraphPort(definition.name),
      apollo: {
        schema,
        formatError: createErrorFormatter(log),
        includeStacktraceInErrorResponses: isDevelopment(),
        plugins: [ApolloServerPluginInlineTraceDisabled()],
      },
      context: async (req, identity) => definition.createContext(dataSource, req, identity),
      health: async () => void (await dataSource.query("SELECT 1")),
      routes: definition.routes,
      requireProof: secrets,
    });
    const stopBackground = definition.background?.(dataSource, log);
    log.info("subgraph ready", { url: server.url });
    process.send?.({ type: "ready", service: definition.name, url: server.url });

    stopOnSignals(log, async () => {
      stopBackground?.();
      await server.stop();
      await dataSource.destroy();
    });
  } catch (error) {
    log.error("subgraph failed to start", { error });
    process.exit(1);
  }
}
