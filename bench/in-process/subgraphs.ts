import type { GraphQLSchema } from "graphql";
import type { DataSource } from "typeorm";
import type { Identity } from "../../shared/src/auth/proof";
import type { SubgraphName } from "../../shared/src/config";
import { createContext as catalogContext } from "../../subgraphs/catalog/src/context";
import { entities as catalogEntities } from "../../subgraphs/catalog/src/data-source";
import { buildSchema as catalogSchema } from "../../subgraphs/catalog/src/schema";
import { createContext as ledgerContext } from "../../subgraphs/ledger/src/context";
import { entities as ledgerEntities } from "../../subgraphs/ledger/src/data-source";
import { buildSchema as ledgerSchema } from "../../subgraphs/ledger/src/schema";
import { createContext as membersContext } from "../../subgraphs/members/src/context";
import { entities as membersEntities } from "../../subgraphs/members/src/data-source";
import { buildSchema as membersSchema } from "../../subgraphs/members/src/schema";
import { createContext as partnersContext } from "../../subgraphs/partners/src/context";
import { entities as partnersEntities } from "../../subgraphs/partners/src/data-source";
import { buildSchema as partnersSchema } from "../../subgraphs/partners/src/schema";

/** What the in-process baseline needs of each subgraph: the same schema, entities and per-request context. */
export interface LocalSubgraph {
  entities: Function[];
  buildSchema(): Promise<GraphQLSchema>;
  createContext(dataSource: DataSource, identity: Identity): object;
}

export const LOCAL_SUBGRAPHS: Record<SubgraphName, LocalSubgraph> = {
  members: { entities: membersEntities, buildSchema: membersSchema, createContext: (ds, identity) => membersContext(ds, undefined, identity) },
  partners: { entities: partnersEntities, buildSchema: partnersSchema, createContext: (ds, identity) => partnersContext(ds, undefined, identity) },
  catalog: { entities: catalogEntities, buildSchema: catalogSchema, createContext: (ds, identity) => catalogContext(ds, undefined, identity) },
  ledger: { entities: ledgerEntities, buildSchema: ledgerSchema, createContext: (ds, identity) => ledgerContext(ds, identity) },
};
