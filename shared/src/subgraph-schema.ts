import { buildSubgraphSchema } from "@apollo/subgraph";
import type { GraphQLResolverMap } from "@apollo/subgraph/dist/schema-helper";
import { printSchemaWithDirectives } from "@graphql-tools/utils";
import { type DocumentNode, type GraphQLSchema, Kind, parse, visit } from "graphql";
import { type BuildSchemaOptions, buildSchema, createResolversMap } from "type-graphql";
import { docs } from "./schema-docs";

/** The federation 2 directives our subgraphs use; without the @link a subgraph reads as federation 1. */
const FEDERATION_LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires", "@inaccessible"])`;

export interface SubgraphSchemaOptions {
  resolvers: BuildSchemaOptions["resolvers"];
  /** Types reached only through `_entities` (type-graphql emits only what resolvers reach). */
  orphanedTypes?: Function[];
  /** `__resolveReference` per entity type: merged into the resolver map before the subgraph schema is built. */
  referenceResolvers?: GraphQLResolverMap<unknown>;
}

/** Builds a subgraph: type-graphql schema -> SDL with directives -> @apollo/subgraph schema. */
export async function buildFederatedSchema(options: SubgraphSchemaOptions): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: options.resolvers,
    orphanedTypes: options.orphanedTypes,
    skipCheck: true,
    validate: false,
  });
  const typeDefs = describeRootTypes(parse(`${FEDERATION_LINK}\n\n${printSchemaWithDirectives(schema)}`));
  const resolvers = createResolversMap(schema) as GraphQLResolverMap<unknown>;
  for (const [typeName, reference] of Object.entries(options.referenceResolvers ?? {})) {
    resolvers[typeName] = { ...(resolvers[typeName] as object), ...(reference as object) };
  }
  return buildSubgraphSchema([{ typeDefs, resolvers }]);
}

/** type-graphql cannot describe the Query and Mutation types themselves; every subgraph gets the same words. */
function describeRootTypes(document: DocumentNode): DocumentNode {
  const descriptions: Record<string, string> = { Query: docs.query, Mutation: docs.mutation };
  return visit(document, {
    ObjectTypeDefinition(node) {
      const description = descriptions[node.name.value];
      return description && !node.description ? { ...node, description: { kind: Kind.STRING, value: description, block: true } } : undefined;
    },
  });
}
