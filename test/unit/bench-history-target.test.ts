import type { LoadResult } from "../../bench/load";
import { type RunFigures, judge } from "../../bench/targets";

/**
 * The deep member (100,000 entries) beside the shallow one (10): p50 of the answers with data. If the
 * deep member's slow requests failed (a subgraph's statement timeout, UPSTREAM_UNAVAILABLE), they
 * would be in no percentile, and the p50 of the rest would show no scan. The target holds only when
 * neither member's requests failed. Figures by hand: 9.9 / 9 = 1.1.
 */
const load = (rps: number): LoadResult => ({ requests: rps * 10, failures: 0, shed: 0, failureKinds: {}, requestsPerSecond: rps, p50: 10, p95: 20, p99: 20 });
const NAME = "Headline p50, 100000 entries vs 10";

const target = (history: Record<string, unknown>) =>
  judge({ headline: {}, history, recordPurchase: { ...load(900), verifyClean: true, directPerSecond: 1600, directFailures: 0 } } as unknown as RunFigures, { hive: [], hiveWithoutCache: [] }).find((t) => t.name === NAME)!;

describe("bench targets: the deep member beside the shallow one", () => {
  it("meets 9.9 / 9 = 1.1 with no failures", () => {
    expect(target({ lightEntries: 10, heavyEntries: 100_000, lightP50: 9, heavyP50: 9.9, failures: 0 })).toMatchObject({ measured: 1.1, met: true });
  });

  it("is not met when requests failed (the slowest of the deep member's would be in no p50)", () => {
    expect(target({ lightEntries: 10, heavyEntries: 100_000, lightP50: 9, heavyP50: 9.9, failures: 3 })).toMatchObject({ measured: 1.1, met: false });
  });

  it("is not met when the failures were not recorded", () => {
    expect(target({ lightEntries: 10, heavyEntries: 100_000, lightP50: 9, heavyP50: 9.9 }).met).toBe(false);
  });
});
