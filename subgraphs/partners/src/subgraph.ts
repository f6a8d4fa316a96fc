import type { Subgraph } from "../../../shared/src/subgraph-definition";
import { type Context, createContext } from "./context";
import { entities, migrations } from "./data-source";
import { buildSchema } from "./schema";

/** The partners subgraph: what its process (main.ts), the tools and the bench use of it. */
export const subgraph: Subgraph<Context> = { name: "partners", entities, migrations, buildSchema, createContext, settings: ["PARTNER_CACHE_SECONDS"] };

export type { Context };
/** Bulk seeding (tools/seed): the partners database's own rows. */
export { writeSeedPartners } from "./seed/bulk-seed";
