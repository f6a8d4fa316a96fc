import type { LoadResult } from "../../bench/load";
import { type RunFigures, judge } from "../../bench/targets";

/**
 * The percentiles are of the answers with data only (bench/load.ts): a request our gateway admitted
 * and then failed (a subgraph timed out after seconds: UPSTREAM_UNAVAILABLE) is in no percentile. A
 * gateway that failed its slowest requests would look steadier for it, so the p99 targets on our
 * gateway (against Hive's p99, and p99 / p50 past saturation) hold only when ours failed none at that
 * concurrency. Figures worked by hand: p99 / p50 = 240 / 100 = 2.4; p99 80 against Hive's 100.
 */
const load = (requestsPerSecond: number, p50: number, p99: number, failures = 0): LoadResult => ({ requests: requestsPerSecond * 10, failures, shed: 0, failureKinds: {}, requestsPerSecond, p50, p95: p99, p99 });

function run(oursFailures: number): RunFigures {
  return {
    headline: {
      coalition: { "1": load(100, 5, 10), "16": load(300, 40, 80, oursFailures), "64": load(300, 100, 240, oursFailures), "256": load(290, 400, 960, oursFailures) },
      hive: { "16": load(150, 60, 100), "64": load(150, 300, 1000) },
    },
    history: { lightEntries: 10, heavyEntries: 100_000, lightP50: 9, heavyP50: 9, failures: 0 },
    recordPurchase: { ...load(900, 30, 60), verifyClean: true, directPerSecond: 1600, directFailures: 0 },
  };
}
const byName = (figures: RunFigures) => Object.fromEntries(judge(figures, { hive: ["hive"], hiveWithoutCache: ["hive"] }).map((t) => [t.name, t]));

describe("bench targets: p99 of our answers only when none failed", () => {
  it("meets the tail and the p99 against Hive with no failures: 240 / 100 = 2.4, 960 / 400 = 2.4, 80 / 100 = 0.8", () => {
    const targets = byName(run(0));
    expect(targets["Headline p99 / p50 of accepted requests, concurrency 64"]).toMatchObject({ measured: 2.4, met: true });
    expect(targets["Headline p99 / p50 of accepted requests, concurrency 256"]).toMatchObject({ measured: 2.4, met: true });
    expect(targets["Headline p99, ours (default) vs the lowest Hive p99 (hive), concurrency 16"]).toMatchObject({ measured: 0.8, met: true });
  });

  it("does not meet them when our gateway failed requests at that concurrency (their latencies are in no percentile)", () => {
    const targets = byName(run(12));
    expect(targets["Headline p99 / p50 of accepted requests, concurrency 64"]).toMatchObject({ measured: 2.4, met: false });
    expect(targets["Headline p99 / p50 of accepted requests, concurrency 256"]).toMatchObject({ measured: 2.4, met: false });
    expect(targets["Headline p99, ours (default) vs the lowest Hive p99 (hive), concurrency 16"]).toMatchObject({ measured: 0.8, met: false });
    expect(targets["Headline p99, ours (default) vs the lowest Hive p99 (hive), concurrency 64"]).toMatchObject({ measured: 0.24, met: false });
  });
});
