import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT } from "../shared/src/config";
import type { BenchResults } from "../bench/report";

/**
 * `npm run bench -- --quick` end to end, so the harness never rots: its own Postgres, stack, Hive
 * Gateway and in-process baseline, every measurement taken and written. The figures of a quick run
 * on a shared CI machine prove nothing about speed; only that each was measured, without failures.
 */
describe("npm run bench -- --quick", () => {
  let out: string;
  let results: BenchResults;
  let elapsedSeconds: number;

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), "coalition-bench-test-"));
    const started = Date.now();
    // Its own embedded Postgres, or databases of its own on DATABASE_URL's server when the run has one.
    await promisify(execFile)(process.execPath, [join(REPO_ROOT, "dist", "bench", "run.js"), "--quick", "--out", out], { maxBuffer: 10_000_000 });
    elapsedSeconds = (Date.now() - started) / 1000;
    results = JSON.parse(await readFile(join(out, "latest.json"), "utf8"));
  }, 240_000);

  afterAll(() => rm(out, { recursive: true, force: true }));

  it("measures the headline query on all three gateways at every concurrency, without failures", () => {
    for (const gateway of ["coalition", "hive", "in-process"] as const) {
      for (const concurrency of [1, 16, 64]) {
        const measured = results.headline[gateway][String(concurrency)];
        expect({ gateway, concurrency, requests: measured.requests > 0, failures: measured.failures }).toEqual({ gateway, concurrency, requests: true, failures: 0 });
        expect(measured.p50).toBeLessThanOrEqual(measured.p95);
        expect(measured.p95).toBeLessThanOrEqual(measured.p99);
      }
    }
  });

  it("records purchases and then finds the ledger consistent", () => {
    expect(results.recordPurchase.requests).toBeGreaterThan(0);
    expect(results.recordPurchase.failures).toBe(0);
    expect(results.recordPurchase.verifyClean).toBe(true);
  });

  it("measures the shallow and the deep member, memory, and judges every target", () => {
    expect(results.history.heavyEntries).toBeGreaterThan(results.history.lightEntries);
    expect(results.history.lightP50).toBeGreaterThan(0);
    expect(results.history.heavyP50).toBeGreaterThan(0);
    expect(Object.keys(results.peakRssMiB).sort()).toEqual(["catalog", "coalition gateway", "hive gateway", "in-process baseline", "ledger", "members", "partners"]);
    expect(Object.values(results.peakRssMiB).every((mib) => mib > 0)).toBe(true);
    expect(results.statement).toMatchObject({ failures: 0 });
    expect(results.statement.statementP50).toBeGreaterThan(0);
    expect(results.targets).toHaveLength(9);
  });

  it("writes the table and the chart", async () => {
    const table = await readFile(join(out, "latest.md"), "utf8");
    expect(table).toContain("| Hive Gateway (HTTP) | 64 |");
    const chart = await readFile(join(out, "latest.svg"), "utf8");
    expect(chart).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(existsSync(join(out, "latest.json"))).toBe(true);
    // Reported, not asserted: a timed test would fail on a busy machine (the quick run aims at < 90 s).
    process.stderr.write(`bench --quick took ${elapsedSeconds.toFixed(0)} s\n`);
  });
});
