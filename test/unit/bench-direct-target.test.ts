import type { LoadResult } from "../../bench/load";
import { type RunFigures, judge } from "../../bench/targets";

/**
 * recordPurchase end to end against record_purchases called directly: a direct purchase that failed
 * (an error, or an outcome other than CREATED) is not in the direct purchases/s, so failures there
 * lower the figure ours is divided by and raise the share. The target holds only when the direct
 * calls failed none, as it already asks of the end-to-end windows.
 */
const load = (requestsPerSecond: number, failures = 0): LoadResult => ({ requests: requestsPerSecond * 10, failures, shed: 0, failureKinds: {}, requestsPerSecond, p50: 30, p95: 50, p99: 60 });
const NAME = "recordPurchase end to end vs record_purchases called directly (verify clean, no failures)";

const target = (recordPurchase: Record<string, unknown>) =>
  judge(
    { headline: {}, history: { lightEntries: 10, heavyEntries: 100_000, lightP50: 9, heavyP50: 9, failures: 0 }, recordPurchase } as unknown as RunFigures,
    { hive: [], hiveWithoutCache: [] },
  ).find((t) => t.name === NAME)!;

describe("bench targets: purchases against the direct calls", () => {
  it("meets 960 / 1600 = 0.6 with no failures on either side", () => {
    expect(target({ ...load(960), verifyClean: true, directPerSecond: 1600, directFailures: 0 })).toMatchObject({ measured: 0.6, met: true });
  });

  it("is not met when direct calls failed (their purchases are missing from the figure divided by: 960 / 1200 = 0.8)", () => {
    expect(target({ ...load(960), verifyClean: true, directPerSecond: 1200, directFailures: 4000 })).toMatchObject({ measured: 0.8, met: false });
  });

  it("is not met when the direct calls' failures were not recorded", () => {
    expect(target({ ...load(960), verifyClean: true, directPerSecond: 1600 }).met).toBe(false);
  });
});
