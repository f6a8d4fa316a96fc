import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT } from "../shared/src/config";
import { GATEWAY_PAIRINGS } from "../bench/gateways";
import type { BenchResults } from "../bench/report";

/**
 * `npm run bench -- --quick --repeat 2` end to end, so the harness never rots: its own Postgres, stack,
 * every gateway pairing, two runs, every measurement taken and written, the median run and the spreads.
 * The figures of a quick run on a shared CI machine prove nothing about speed; only that each was
 * measured, without failures.
 */
describe("npm run bench -- --quick --repeat 2", () => {
  let out: string;
  let results: BenchResults;
  let elapsedSeconds: number;

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), "coalition-bench-test-"));
    const started = Date.now();
    // Its own embedded Postgres, or databases of its own on DATABASE_URL's server when the run has one.
    // Windows of 1 s: one that finishes no request (concurrency 256 on a busy machine) is measured again,
    // twice as long (bench/load.ts's sampleLoad). Most of a window's cost is opening and draining it.
    const args = ["--quick", "--repeat", "2", "--duration", "1", "--warmup", "1", "--out", out];
    await promisify(execFile)(process.execPath, [join(REPO_ROOT, "dist", "bench", "run.js"), ...args], { maxBuffer: 50_000_000 });
    elapsedSeconds = (Date.now() - started) / 1000;
    results = JSON.parse(await readFile(join(out, "latest.json"), "utf8"));
  }, 1_500_000); // about 3 minutes on a quiet 2-core machine; many times that when it is shared

  afterAll(() => rm(out, { recursive: true, force: true }));

  it("measures the headline on every gateway pairing (or says why one was skipped) at every concurrency, ours without failures", () => {
    expect(results.gateways.map((g) => g.name)).toEqual(GATEWAY_PAIRINGS.map((g) => g.name));
    // Only the router runtime may be missing (it is a devDependency); everything else always runs.
    for (const skipped of results.gateways.filter((g) => g.skipped)) expect(skipped.name).toMatch(/^hive-router/);
    for (const run of results.runs) {
      for (const { name } of results.gateways.filter((g) => !g.skipped)) {
        for (const concurrency of [1, 16, 64, 256]) {
          const measured = run.headline[name]![String(concurrency)];
          // Every pairing answers at concurrency 1 and 16 (the harness works). Past that, a 2-second window on a
          // loaded CI machine may finish nothing (seen for the in-process baseline and Hive at 256): speed is
          // the benchmark's to judge, not a test's. Ours and the baseline never fail (ours sheds, 503 OVERLOADED, counted apart; a 503 for UPSTREAM_UNAVAILABLE is a failure).
          // Hive's failures are reported as they are, by kind, a finding, not a broken harness (one CI run saw
          // a single one at concurrency 1): a harness sending Hive a bad request would fail most of them.
          const isHive = name.startsWith("hive");
          const { failureKinds } = measured;
          if (concurrency <= 16) expect({ name, concurrency, answered: measured.requests > 0 }).toEqual({ name, concurrency, answered: true });
          if (!isHive) expect({ name, concurrency, failures: measured.failures, failureKinds }).toEqual({ name, concurrency, failures: 0, failureKinds: {} });
          else if (concurrency <= 16) expect({ name, concurrency, mostlyFailed: measured.failures * 10 >= measured.requests, failureKinds }).toMatchObject({ name, concurrency, mostlyFailed: false });
          expect(Object.values(failureKinds).reduce((sum, count) => sum + count, 0)).toBe(measured.failures);
          expect(measured.failures).toBeGreaterThanOrEqual(0);
          expect(measured.shed).toBeGreaterThanOrEqual(0);
          // Percentiles are of finished requests: a window that finished none has none (null).
          if (measured.requests > 0) {
            expect(measured.p50).toBeLessThanOrEqual(measured.p95);
            expect(measured.p95).toBeLessThanOrEqual(measured.p99);
          } else {
            expect([measured.p50, measured.p95, measured.p99]).toEqual([null, null, null]);
          }
        }
      }
    }
  });

  it("records purchases end to end and straight into the database, then finds the ledger consistent", () => {
    for (const run of results.runs) {
      expect(run.recordPurchase.requests).toBeGreaterThan(0);
      expect(run.recordPurchase.failures).toBe(0);
      expect(run.recordPurchase.verifyClean).toBe(true);
      // The direct baseline replayed the groups the ledger wrote (at least one purchase each) and wrote purchases itself.
      expect(run.recordPurchase.capacity.groups).toBeGreaterThan(0);
      expect(run.recordPurchase.capacity.meanGroupSize).toBeGreaterThanOrEqual(1);
      expect(run.recordPurchase.capacity.purchases).toBeGreaterThan(0);
      expect(run.recordPurchase.capacity.failures).toBe(0);
      // Without the clearing house's valuation, between two windows with it (bench/valuation.ts): measured, nothing failed.
      expect(run.recordPurchase.valuation).toMatchObject({ failures: 0, without: { failures: 0 } });
      expect(run.recordPurchase.valuation.withoutPerSecond).toBeGreaterThan(0);
      expect(run.recordPurchase.valuation.withPerSecond).toBeGreaterThan(0);
      // Each ratio's windows alternate (a quick run: one round, plain, other, plain), each plain window shared
      // with the next alternation: with valuation, without, with; direct; plain; campaigns; plain.
      expect(run.recordPurchase.valuation.withWindows).toHaveLength(2);
      expect(run.recordPurchase.valuation.withoutWindows).toHaveLength(1);
      expect(run.recordPurchase.capacity.windows).toHaveLength(1);
      expect(run.recordPurchase.campaigns.windows).toHaveLength(1);
      expect(run.recordPurchase.campaigns.plainWindows).toHaveLength(2);
      // The same load with the 50 campaigns of bench/campaigns.ts: bonuses were posted, nothing failed.
      expect(run.recordPurchase.campaigns).toMatchObject({ count: 50, failures: 0, plainFailures: 0 });
      expect(run.recordPurchase.campaigns.bonusPoints).toBeGreaterThan(0);
      expect(run.recordPurchase.campaigns.bonuses).toBeGreaterThan(0);
      // A partner's open statement read beside a member's balance.
      expect(run.statement).toMatchObject({ failures: 0 });
      expect(run.statement.statementP50).toBeGreaterThan(0);
    }
  });

  it("shows the median run, and every target with its value in each run", () => {
    expect(results.runs).toHaveLength(2);
    expect([0, 1]).toContain(results.medianRun);
    expect(results.targets).toEqual(results.runs[results.medianRun].targets);
    expect(results.spread.map((t) => t.name)).toEqual(results.targets.map((t) => t.name));
    for (const target of results.spread) {
      expect(target.runs).toHaveLength(2);
      expect(target.min).toBeLessThanOrEqual(target.max);
    }
    // Four per target concurrency (16, 64), two per overload concurrency (64, 256), history, purchases
    // end to end vs direct, the open statement vs the balance, purchases with the clearing house's
    // valuation vs without, purchases with campaigns vs without.
    expect(results.targets).toHaveLength(17);
    expect(results.history.heavyEntries).toBeGreaterThan(results.history.lightEntries);
    expect(results.history.lightP50).toBeGreaterThan(0);
    expect(results.history.failures).toBe(0);
    expect(results.runs.every((run) => Number.isFinite(run.loadAverage.start))).toBe(true);
    const measured = results.gateways.filter((g) => !g.skipped).map((g) => g.name);
    expect(Object.keys(results.peakRssMiB).sort()).toEqual(["catalog", "ledger", "members", "partners", ...measured].sort());
    expect(Object.values(results.peakRssMiB).every((mib) => mib > 0)).toBe(true);
  });

  it("writes the table and the chart", async () => {
    const table = await readFile(join(out, "latest.md"), "utf8");
    expect(table).toContain("| Hive Gateway, as configured before (no cache) | 256 |");
    expect(table).toContain("| Coalition gateway, entity cache off | 64 |");
    expect(table).toMatch(/record_purchases called directly on the same Postgres/);
    expect(table).toMatch(/recordPurchase without the clearing house's valuation/);
    expect(table).toMatch(/Spread over the runs/);
    const chart = await readFile(join(out, "latest.svg"), "utf8");
    expect(chart).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(existsSync(join(out, "latest.json"))).toBe(true);
    // Reported, not asserted: a timed test would fail on a busy machine.
    process.stderr.write(`bench --quick --repeat 2 took ${elapsedSeconds.toFixed(0)} s\n`);
  });
});
