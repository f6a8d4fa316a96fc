// First, before anything loads http, undici or pg: OpenTelemetry patches them as they load (when enabled).
import { startTelemetry } from "../../../shared/src/telemetry";
startTelemetry("partners");
import { runSubgraph } from "../../../shared/src/run-subgraph";
import { createContext } from "./context";
import { entities, migrations } from "./data-source";
import { buildSchema } from "./schema";

void runSubgraph({ name: "partners", entities, migrations, buildSchema, createContext });
