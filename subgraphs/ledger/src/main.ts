import { runSubgraph } from "../../../shared/src/run-subgraph";
import { createContext } from "./context";
import { entities, migrations } from "./data-source";
import { buildSchema } from "./schema";

void runSubgraph({ name: "ledger", entities, migrations, buildSchema, createContext: (dataSource) => createContext(dataSource) });
