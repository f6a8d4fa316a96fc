import type { LoadResult } from "../../bench/load";
import { type RunFigures, judge } from "../../bench/targets";

/**
 * The campaigns target compares the windows with 50 campaigns against the plain windows alternated
 * with them (bench/measure.ts), each side pooled. A failed request is not in a window's requests/s, so
 * failures in a plain window lower the figure the campaigns are compared with and raise the ratio: the
 * target must hold only when the plain windows had none either, as the valuation target requires of
 * its windows.
 */
const load = (requestsPerSecond: number, failures = 0): LoadResult => ({ requests: requestsPerSecond * 10, failures, shed: 0, failureKinds: {}, requestsPerSecond, p50: 10, p95: 20, p99: 20 });
const NAME = "recordPurchase with 50 active campaigns vs without (verify clean, no failures)";

function campaignsTarget(campaigns: Record<string, unknown>) {
  const run = {
    headline: { coalition: { "16": load(300), "64": load(300) } },
    history: { lightEntries: 10, heavyEntries: 100_000, lightP50: 9, heavyP50: 9, failures: 0 },
    recordPurchase: { ...load(900), verifyClean: true, directPerSecond: 1600, directFailures: 0, campaigns },
  } as unknown as RunFigures;
  return judge(run, { hive: [], hiveWithoutCache: [] }).find((t) => t.name === NAME)!;
}

describe("bench targets: purchases with campaigns", () => {
  it("compares with the plain windows around it: 720 / 900 = 0.8, met", () => {
    expect(campaignsTarget({ ...load(720), count: 50, bonusPoints: 1, bonuses: 1, plainPerSecond: 900, plainFailures: 0 })).toMatchObject({ measured: 0.8, met: true });
  });

  it("is not met when a plain window it is compared with had failures (they lowered the plain figure: 720 / 850)", () => {
    const target = campaignsTarget({ ...load(720), count: 50, bonusPoints: 1, bonuses: 1, plainPerSecond: 850, plainFailures: 37 });
    expect(target.measured).toBeCloseTo(720 / 850, 10);
    expect(target.met).toBe(false);
  });

  it("is not met when the plain windows' failures were not recorded at all", () => {
    expect(campaignsTarget({ ...load(720), count: 50, bonusPoints: 1, bonuses: 1, plainPerSecond: 900 }).met).toBe(false);
  });
});
