import type { Subgraph } from "../../../shared/src/subgraph-definition";
import { type Context, createContext } from "./context";
import { entities, migrations } from "./data-source";
import { buildSchema } from "./schema";

/** The members subgraph: what its process (main.ts), the tools and the bench use of it. */
export const subgraph: Subgraph<Context> = { name: "members", entities, migrations, buildSchema, createContext, settings: ["ERASURE_CHECK_CACHE_MS", "ERASURE_SWEEP_SECONDS"] };

export type { Context };
/** Bulk seeding (tools/seed): the members database's own rows. */
export { seedEpoch, writeSeedMembers } from "./seed/bulk-seed";
