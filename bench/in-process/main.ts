import "reflect-metadata";
import { readFileSync } from "node:fs";
import { ApolloGateway, type GraphQLDataSource } from "@apollo/gateway";
import type { GatewayGraphQLResponse } from "@apollo/server-gateway-interface";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginInlineTraceDisabled } from "@apollo/server/plugin/disabled";
import type { FetcherHeaders } from "@apollo/utils.fetcher";
import type { DataSource } from "typeorm";
import { proofSecrets } from "../../shared/src/auth/proof";
import { setServiceIdentity } from "../../shared/src/auth/service-identity";
import { type SubgraphName, subgraphDatabaseUrl } from "../../shared/src/config";
import { createDataSource } from "../../shared/src/database";
import { createErrorFormatter } from "../../shared/src/errors";
import { createLogger } from "../../shared/src/logger";
import { stopOnSignals } from "../../shared/src/shutdown";
import { isClusterPrimary, runPrimary, workerCount } from "../../shared/src/workers";
import { supergraphPath } from "../../gateway/src/gateway";
import type { GatewayContext } from "../../gateway/src/identity";
import { EntityCache, EntityCachingDataSource, PrivateAnswers } from "../../gateway/src/entity-cache";
import { serveGateway } from "../../gateway/src/server";
import { LOCAL_SUBGRAPHS, type LocalSubgraph } from "./subgraphs";

/*
 * The benchmark's baseline: our gateway server, the same supergraph and the same subgraph servers, all
 * in one process, each subgraph on its own database: no HTTP between gateway and subgraphs. What it
 * serves beyond what the HTTP gateway serves is the price of the network hops.
 */

/**
 * A subgraph's own Apollo Server, called in this process: the same request pipeline and cache hints
 * as over HTTP, with the subgraph's own per-request context, and no network in between.
 */
class InProcessDataSource implements GraphQLDataSource<GatewayContext> {
  constructor(
    private readonly server: ApolloServer<object>,
    private readonly dataSource: DataSource,
    private readonly subgraph: LocalSubgraph,
  ) {}

  async process({ request, context }: Parameters<GraphQLDataSource<GatewayContext>["process"]>[0]): Promise<GatewayGraphQLResponse> {
    const identity = (context as GatewayContext).identity ?? { kind: "anonymous" };
    const response = await this.server.executeOperation(
      { query: request.query, variables: request.variables, operationName: request.operationName },
      { contextValue: this.subgraph.createContext(this.dataSource, undefined, identity) },
    );
    if (response.body.kind !== "single") throw new Error("Subgraphs answer single results");
    const { data, errors } = response.body.singleResult;
    return { data, errors, http: { headers: response.http.headers as unknown as FetcherHeaders, status: response.http.status } };
  }
}

const log = createLogger("in-process-gateway");

async function main() {
  const workers = workerCount();
  if (isClusterPrimary(workers)) return runPrimary("in-process-gateway", workers, log);
  setServiceIdentity("gateway", proofSecrets().service);
  const local = {} as Record<SubgraphName, GraphQLDataSource<GatewayContext>>;
  const dataSources: DataSource[] = [];
  const servers: ApolloServer<object>[] = [];
  const entities = new EntityCache();
  const privateAnswers = new PrivateAnswers();
  for (const [name, subgraph] of Object.entries(LOCAL_SUBGRAPHS) as [SubgraphName, LocalSubgraph][]) {
    const dataSource = createDataSource({ url: subgraphDatabaseUrl(name), entities: subgraph.entities, migrations: [], log });
    await dataSource.initialize();
    dataSources.push(dataSource);
    const server = new ApolloServer<object>({ schema: await subgraph.buildSchema(), formatError: createErrorFormatter(log), plugins: [ApolloServerPluginInlineTraceDisabled()] });
    await server.start();
    servers.push(server);
    local[name] = new EntityCachingDataSource(name, new InProcessDataSource(server, dataSource, subgraph), entities, privateAnswers);
  }
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(supergraphPath(), "utf8"),
    buildService: ({ name }) => local[name as SubgraphName],
  });
  const server = await serveGateway(gateway, log);
  log.info("in-process gateway ready", { url: server.url });
  process.send?.({ type: "ready", service: "in-process-gateway", url: server.url });
  stopOnSignals(log, async () => {
    await server.stop();
    for (const subgraphServer of servers) await subgraphServer.stop();
    for (const dataSource of dataSources) await dataSource.destroy();
  });
}

main().catch((error) => {
  log.error("in-process gateway failed to start", { error });
  process.exit(1);
});
