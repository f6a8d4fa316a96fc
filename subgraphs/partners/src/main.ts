// First, before anything loads http, undici or pg: OpenTelemetry patches them as they load (when enabled).
import { startTelemetry } from "../../../shared/src/telemetry";
startTelemetry("partners");
import { runSubgraph } from "../../../shared/src/run-subgraph";
import { subgraph } from "./subgraph";

void runSubgraph(subgraph);
