// First, before anything loads http, undici or pg: OpenTelemetry patches them as they load (when enabled).
import { startTelemetry } from "../../../shared/src/telemetry";
startTelemetry("ledger");
import express from "express";
import { intFromEnv } from "../../../shared/src/config";
import { runSubgraph } from "../../../shared/src/run-subgraph";
import { systemClock } from "./clock";
import { scheduleExpiry } from "./expiry/expiry.schedule";
import { subgraph, testClock as theTestClock } from "./subgraph";

// The definition's test clock (LEDGER_TEST_CLOCK=1), if any: its expiry schedule and its route below share it.
const testClock = theTestClock;

void runSubgraph({
  ...subgraph,
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
