import "reflect-metadata";
import { readFileSync } from "node:fs";
import { ApolloGateway, type GraphQLDataSource } from "@apollo/gateway";
import type { GatewayGraphQLResponse } from "@apollo/server-gateway-interface";
import { type DocumentNode, type GraphQLSchema, execute, parse } from "graphql";
import type { DataSource } from "typeorm";
import { proofSecrets } from "../../shared/src/auth/proof";
import { setServiceIdentity } from "../../shared/src/auth/service-identity";
import { type SubgraphName, subgraphDatabaseUrl } from "../../shared/src/config";
import { createDataSource } from "../../shared/src/database";
import { createLogger } from "../../shared/src/logger";
import { stopOnSignals } from "../../shared/src/shutdown";
import { isClusterPrimary, runPrimary, workerCount } from "../../shared/src/workers";
import { type GatewayContext, supergraphPath } from "../../gateway/src/gateway";
import { serveGateway } from "../../gateway/src/server";
import { LOCAL_SUBGRAPHS, type LocalSubgraph } from "./subgraphs";

/**
 * The benchmark's baseline: our gateway server and the same supergraph, but each subgraph's schema is
 * executed in this process against its own database: no HTTP between gateway and subgraphs. What it
 * serves beyond what the HTTP gateway serves is the price of the network hops.
 */
/** Executes a subgraph's operations locally, with the subgraph's own per-request context. */
class InProcessDataSource implements GraphQLDataSource<GatewayContext> {
  // The gateway sends a handful of distinct subgraph operations; parse each once, as Apollo Server would.
  private readonly documents = new Map<string, DocumentNode>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly dataSource: DataSource,
    private readonly subgraph: LocalSubgraph,
  ) {}

  async process({ request, context }: Parameters<GraphQLDataSource<GatewayContext>["process"]>[0]): Promise<GatewayGraphQLResponse> {
    const source = request.query!;
    let document = this.documents.get(source);
    if (!document) this.documents.set(source, (document = parse(source)));
    const result = await execute({
      schema: this.schema,
      document,
      variableValues: request.variables,
      contextValue: this.subgraph.createContext(this.dataSource, (context as GatewayContext).identity ?? { kind: "anonymous" }),
    });
    return { data: result.data as Record<string, unknown>, errors: result.errors?.map((error) => error.toJSON()) };
  }
}

const log = createLogger("in-process-gateway");

async function main() {
  const workers = workerCount();
  if (isClusterPrimary(workers)) return runPrimary("in-process-gateway", workers, log);
  setServiceIdentity("gateway", proofSecrets().service);
  const local = {} as Record<SubgraphName, InProcessDataSource>;
  const dataSources: DataSource[] = [];
  for (const [name, subgraph] of Object.entries(LOCAL_SUBGRAPHS) as [SubgraphName, LocalSubgraph][]) {
    const dataSource = createDataSource({ url: subgraphDatabaseUrl(name), entities: subgraph.entities, migrations: [], log });
    await dataSource.initialize();
    dataSources.push(dataSource);
    local[name] = new InProcessDataSource(await subgraph.buildSchema(), dataSource, subgraph);
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
    for (const dataSource of dataSources) await dataSource.destroy();
  });
}

main().catch((error) => {
  log.error("in-process gateway failed to start", { error });
  process.exit(1);
});
