import type { SubgraphName } from "../../shared/src/config";
import type { Subgraph } from "../../shared/src/subgraph-definition";
import { subgraph as catalog } from "../../subgraphs/catalog/src/subgraph";
import { subgraph as ledger } from "../../subgraphs/ledger/src/subgraph";
import { subgraph as members } from "../../subgraphs/members/src/subgraph";
import { subgraph as partners } from "../../subgraphs/partners/src/subgraph";

/** What the in-process baseline needs of each subgraph: its definition (the same schema, entities and per-request context). */
export type LocalSubgraph = Subgraph;

export const LOCAL_SUBGRAPHS: Record<SubgraphName, LocalSubgraph> = { members, partners, catalog, ledger };
