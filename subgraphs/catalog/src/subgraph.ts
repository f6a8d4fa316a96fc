import type { Subgraph } from "../../../shared/src/subgraph-definition";
import { type Context, createContext } from "./context";
import { entities, migrations } from "./data-source";
import { buildSchema } from "./schema";

/** The catalog subgraph: what its process (main.ts), the tools and the bench use of it. */
export const subgraph: Subgraph<Context> = {
  name: "catalog",
  entities,
  migrations,
  buildSchema,
  createContext,
  settings: ["REDEMPTION_CANCEL_WINDOW_HOURS", "REDEMPTION_RECOVERY_AFTER_SECONDS", "REDEMPTION_SWEEP_SECONDS"],
};

export type { Context };
/** Bulk seeding (tools/seed): the catalog database's own rows. */
export { writeSeedRewards } from "./seed/bulk-seed";
