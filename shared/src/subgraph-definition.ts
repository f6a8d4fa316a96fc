import type { IncomingMessage } from "node:http";
import type { GraphQLSchema } from "graphql";
import type { DataSource, EntitySchema, MixedList } from "typeorm";
import type { Identity } from "./auth/proof";
import type { SubgraphName } from "./config";
import type { Logger } from "./logger";

/**
 * What a subgraph is, as one importable value: each subgraph exports it from `src/subgraph.ts`, and its
 * process (`src/main.ts`, through runSubgraph), the tools (seeders, launcher) and the bench use that,
 * never the subgraph's internals.
 */
export interface Subgraph<TContext extends object = object> {
  name: SubgraphName;
  /** Its database: TypeORM entities and, in order, its migrations. */
  entities: MixedList<Function | string | EntitySchema>;
  migrations: MixedList<Function | string>;
  /** Its whole GraphQL surface. */
  buildSchema(): Promise<GraphQLSchema>;
  /**
   * Per request: services and fresh DataLoaders. `req` is the HTTP request (its request id is passed on
   * to other services; absent when called in-process), `identity` who the gateway or a calling service
   * vouched for. The same shape in every subgraph.
   */
  createContext(dataSource: DataSource, req: IncomingMessage | undefined, identity: Identity): TContext;
  /**
   * The environment variables (whole numbers ≥ 0, unless `settingReaders` reads them) this subgraph's own code reads, where it reads them:
   * its process checks them all at start, so a bad value stops the start, named, instead of failing a
   * request later. (test/unit/config.test.ts keeps the list complete.)
   */
  settings?: readonly string[];
  /**
   * Those of `settings` that are not whole numbers, with the reader their code uses (it throws an Error
   * naming the variable): checked at start by calling it, instead of as a number.
   */
  settingReaders?: Readonly<Record<string, () => unknown>>;
  /**
   * Run at start by the process that migrates, after the migrations and before anything serves: what the
   * database must agree with (e.g. the ledger's recorded settlement currency). A throw stops the start.
   * Its connection has no lock or statement limit (the migrations'): a check that locks sets its own
   * (SET LOCAL lock_timeout), so another session's lock cannot hang the start.
   */
  checkDatabase?: (dataSource: DataSource, log: Logger) => Promise<void>;
}
