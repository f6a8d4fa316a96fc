// First, before anything loads http, undici or pg: OpenTelemetry patches them as they load (when enabled).
import { startTelemetry } from "../../../shared/src/telemetry";
startTelemetry("ledger");
import express from "express";
import { intFromEnv } from "../../../shared/src/config";
import { requestIdOf } from "../../../shared/src/request-id";
import { runSubgraph } from "../../../shared/src/run-subgraph";
import { AdjustableClock, systemClock } from "./clock";
import { createContext } from "./context";
import { entities, migrations } from "./data-source";
import { scheduleExpiry } from "./expiry/expiry.schedule";
import { buildSchema } from "./schema";

// Tests move time forward (return windows, expiry, the tier window) instead of sleeping; never in production.
const testClock = process.env.LEDGER_TEST_CLOCK === "1" && process.env.NODE_ENV !== "production" ? new AdjustableClock() : null;

void runSubgraph({
  name: "ledger",
  entities,
  migrations,
  buildSchema,
  createContext: (dataSource, req, identity) => createContext(dataSource, identity, testClock ?? systemClock, requestIdOf(req)),
  background: (dataSource, log) => scheduleExpiry(dataSource, testClock ?? systemClock, log, intFromEnv("EXPIRY_RUN_SECONDS", 3600)),
  // A test clock lives in one process's memory: tests that move it need every request to see it.
  workers: testClock ? 1 : undefined,
  routes: testClock
    ? (app) =>
        app.put("/test/clock", express.json(), (req, res) => {
          testClock.offsetMs = Number(req.body?.offsetMs ?? 0);
          res.json({ now: testClock.now().toISOString() });
        })
    : undefined,
});
