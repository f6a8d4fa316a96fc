import type { LoadResult } from "../../bench/load";
import { type RunFigures, judge } from "../../bench/targets";

/**
 * Issue 6: our headline throughput above Hive's "with p99 no worse". With four Hive configurations,
 * no worse than Hive is no worse than the best p99 any of them reached at that concurrency, not the
 * p99 of whichever was fastest: in the README's judged run (2026-12-05, run 3, c=16) the fastest,
 * hive-router-http-cache, had a p99 of 137.4 ms and hive-router 100.3 ms; ours, 75.3 ms, was reported
 * as 0.55× where it is 0.75× Hive's best.
 */
const load = (requestsPerSecond: number, p99: number, failures = 0): LoadResult => ({ requests: requestsPerSecond * 10, failures, shed: 0, failureKinds: {}, requestsPerSecond, p50: p99 / 2, p95: p99, p99 });

function run(c16: Partial<Record<string, LoadResult>>): RunFigures {
  const headline: RunFigures["headline"] = {};
  for (const [name, result] of Object.entries(c16)) headline[name as keyof typeof headline] = { "16": result!, "64": result! };
  return {
    headline,
    history: { lightEntries: 10, heavyEntries: 100_000, lightP50: 9, heavyP50: 9, failures: 0 },
    recordPurchase: { ...load(900, 60), verifyClean: true, directPerSecond: 1600, directFailures: 0 },
  };
}
const kinds = { hive: ["hive", "hive-http-cache", "hive-router", "hive-router-http-cache"] as never[], hiveWithoutCache: ["hive", "hive-router"] as never[] };
const p99Target = (figures: RunFigures, c = "16") => judge(figures, kinds).find((t) => t.name.startsWith("Headline p99, ours") && t.name.endsWith(`concurrency ${c}`))!;

describe("bench targets: our p99 against Hive's", () => {
  it("takes the lowest p99 of the Hive configurations, not the fastest one's (the README's judged run at 16: 75.3 / 100.3)", () => {
    const target = p99Target(run({
      coalition: load(443.4, 75.3),
      hive: load(144.9, 261.3),
      "hive-http-cache": load(157.8, 224.8),
      "hive-router": load(271.4, 100.3),
      "hive-router-http-cache": load(286.1, 137.4),
    }));
    expect(target.name).toBe("Headline p99, ours (default) vs the lowest Hive p99 (hive-router), concurrency 16");
    expect(target.measured).toBeCloseTo(75.3 / 100.3, 10); // 0.7507…, not 75.3 / 137.4 = 0.548
    expect(target.met).toBe(true);
  });

  it("is not met when ours is worse than any Hive configuration's p99, even one slower than the fastest: 110 / 100 = 1.1", () => {
    const target = p99Target(run({
      coalition: load(450, 110),
      "hive-router": load(270, 100),
      "hive-router-http-cache": load(290, 140),
    }));
    expect(target.measured).toBeCloseTo(1.1, 10);
    expect(target.met).toBe(false);
  });

  it("leaves out a Hive configuration that answered nothing (no p99 to compare with), and fails with none at all", () => {
    const target = p99Target(run({ coalition: load(450, 90), hive: load(0, NaN), "hive-router": load(270, 100) }));
    expect(target.name).toContain("(hive-router)");
    expect(target.measured).toBeCloseTo(0.9, 10);
    expect(p99Target(run({ coalition: load(450, 90) }))).toMatchObject({ measured: 0, met: false });
  });
});
