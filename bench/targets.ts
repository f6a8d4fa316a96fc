import type { GatewayName } from "./gateways";
import type { LoadResult } from "./load";

/**
 * The benchmark's targets (issue 20) as pure functions of one run's figures, and how a repeated run
 * is summed up: every ratio with its spread over the runs, the targets judged on the median run.
 */

/** What the targets read of one run. */
export interface RunFigures {
  /** Per gateway measured in this run (skipped pairings are absent), per concurrency ("16"). */
  headline: Partial<Record<GatewayName, Record<string, LoadResult>>>;
  /** `failures`: both members' (a failed request is in no p50). */
  history: { lightEntries: number; heavyEntries: number; lightP50: number; heavyP50: number; failures: number };
  /** `directFailures`: direct record_purchases purchases that were not written (not in `directPerSecond`). */
  recordPurchase: LoadResult & { verifyClean: boolean; directPerSecond: number; directFailures: number; valuation?: ValuationPurchases; campaigns?: CampaignPurchases };
  statement?: StatementFigures;
}

export interface Target {
  name: string;
  measured: number;
  goal: string;
  met: boolean;
}

/** Which gateways are Hive's, and which of those keep subgraph answers: the pairs the targets compare. */
export interface GatewayKinds {
  hive: GatewayName[];
  hiveWithoutCache: GatewayName[];
}

export const TARGET_CONCURRENCY = ["16", "64"];
export const OVERLOAD_CONCURRENCY = ["64", "256"];

const ratio = (a: number, b: number) => (b > 0 && Number.isFinite(a) ? a / b : 0);

/** The gateway among `names` with the most headline requests/s at concurrency `c` in this run. */
export function fastest(run: RunFigures, names: GatewayName[], c: string): GatewayName | undefined {
  let best: GatewayName | undefined;
  for (const name of names) {
    const rps = run.headline[name]?.[c]?.requestsPerSecond ?? 0;
    if (rps > 0 && (!best || rps > run.headline[best]![c].requestsPerSecond)) best = name;
  }
  return best;
}

/**
 * The gateway among `names` with the lowest headline p99 at concurrency `c` in this run (of those that
 * answered anything): "p99 no worse than Hive" is no worse than any Hive configuration.
 */
export function lowestP99(run: RunFigures, names: GatewayName[], c: string): GatewayName | undefined {
  let best: GatewayName | undefined;
  for (const name of names) {
    const result = run.headline[name]?.[c];
    if (!result || !(result.requestsPerSecond > 0) || !(result.p99 > 0)) continue;
    if (!best || result.p99 < run.headline[best]![c].p99) best = name;
  }
  return best;
}

/** The best headline requests/s of `gateway` at any concurrency below `c`. */
export function bestBelow(byConcurrency: Record<string, LoadResult>, c: string): number {
  return Math.max(0, ...Object.keys(byConcurrency).filter((k) => Number(k) < Number(c)).map((k) => byConcurrency[k].requestsPerSecond));
}

/** A partner's open statement and a member's balance, read side by side (one client each). */
export interface StatementFigures {
  statementP50: number;
  balanceP50: number;
  failures: number;
}

/**
 * recordPurchase without the clearing house's valuation (bench/valuation.ts), in the windows between
 * those with it (bench/schedule.ts `alternate`): each side's windows pooled.
 */
export interface ValuationPurchases {
  /** The windows with it, pooled. */
  withPerSecond: number;
  /** The windows without it, pooled. */
  withoutPerSecond: number;
  /** Each window with it, and each without, in the order they ran: the drift the pooling evens out. */
  withWindows: number[];
  withoutWindows: number[];
  /** In every window, with it and without. */
  failures: number;
  /** The windows without it, pooled, in full. */
  without: LoadResult;
}

/**
 * recordPurchase with active campaigns (bench/campaigns.ts; fresh ones in each of its windows), pooled,
 * and the plain windows alternated with them, pooled: `plainFailures`, the failures of those plain
 * windows (a failed request is not in a window's requests/s, so failures there would lower the plain
 * figure and raise the ratio). `windows` and `plainWindows`: each window's requests/s, in run order.
 */
export type CampaignPurchases = LoadResult & {
  count: number;
  bonusPoints: number;
  bonuses: number;
  plainPerSecond: number;
  plainFailures: number;
  windows?: number[];
  plainWindows?: number[];
};

export function judge(run: RunFigures, kinds: GatewayKinds): Target[] {
  const targets: Target[] = [];
  const ours = run.headline.coalition ?? {};
  const uncached = run.headline["coalition-no-cache"] ?? {};
  const local = run.headline["in-process"] ?? {};
  for (const c of TARGET_CONCURRENCY) {
    const hive = fastest(run, kinds.hive, c);
    const hiveBare = fastest(run, kinds.hiveWithoutCache, c);
    const vsHive = ratio(ours[c]?.requestsPerSecond, hive ? run.headline[hive]![c].requestsPerSecond : 0);
    targets.push({ name: `Headline throughput, ours (default) vs the fastest Hive configuration${hive ? ` (${hive})` : ""}, concurrency ${c}`, measured: vsHive, goal: "≥ 1.3×", met: vsHive >= 1.3 });
    const bare = ratio(uncached[c]?.requestsPerSecond, hiveBare ? run.headline[hiveBare]![c].requestsPerSecond : 0);
    targets.push({ name: `Headline throughput, ours without entity cache vs the fastest Hive without a cache${hiveBare ? ` (${hiveBare})` : ""}, concurrency ${c}`, measured: bare, goal: "≥ 1.3×", met: bare >= 1.3 });
    const steadiest = lowestP99(run, kinds.hive, c);
    const p99 = ratio(ours[c]?.p99, steadiest ? run.headline[steadiest]![c].p99 : 0);
    targets.push({ name: `Headline p99, ours (default) vs the lowest Hive p99${steadiest ? ` (${steadiest})` : ""}, concurrency ${c}`, measured: p99, goal: "≤ 1.0×", met: p99 > 0 && p99 <= 1 && ours[c]?.failures === 0 });
    const vsLocal = ratio(ours[c]?.requestsPerSecond, local[c]?.requestsPerSecond);
    targets.push({ name: `Headline throughput vs in-process baseline, concurrency ${c}`, measured: vsLocal, goal: "≥ 0.75×", met: vsLocal >= 0.75 });
  }
  for (const c of OVERLOAD_CONCURRENCY) {
    if (!ours[c]) continue;
    const held = ratio(ours[c].requestsPerSecond, bestBelow(ours, c));
    targets.push({ name: `Headline throughput at concurrency ${c} vs its best at lower concurrency`, measured: held, goal: "≥ 0.9×", met: held >= 0.9 });
    const tail = ratio(ours[c].p99, ours[c].p50);
    // The percentiles are of answers with data: a request admitted and then failed is in none, so with failures the tail is not known.
    targets.push({ name: `Headline p99 / p50 of accepted requests, concurrency ${c}`, measured: tail, goal: "≤ 3×", met: tail > 0 && tail <= 3 && ours[c].failures === 0 });
  }
  const { history, recordPurchase } = run;
  const scan = ratio(history.heavyP50, history.lightP50);
  targets.push({ name: `Headline p50, ${history.heavyEntries} entries vs ${history.lightEntries}`, measured: scan, goal: "≤ 1.2×", met: history.failures === 0 && scan > 0 && scan <= 1.2 });
  const clean = recordPurchase.verifyClean && recordPurchase.failures === 0;
  const share = ratio(recordPurchase.requestsPerSecond, recordPurchase.directPerSecond);
  // Direct purchases that failed are not in the direct figure: failures there would lower what ours is divided by.
  targets.push({ name: "recordPurchase end to end vs record_purchases called directly (verify clean, no failures)", measured: share, goal: "≥ 0.6×", met: clean && recordPurchase.directFailures === 0 && share >= 0.6 });
  if (run.statement) {
    const statement = ratio(run.statement.statementP50, run.statement.balanceP50);
    targets.push({ name: "Partner's open statement p50 vs a member's balance p50", measured: statement, goal: "≤ 2.0×", met: run.statement.failures === 0 && statement > 0 && statement <= 2 });
  }
  const valuation = recordPurchase.valuation;
  if (valuation) {
    const kept = ratio(valuation.withPerSecond, valuation.withoutPerSecond);
    targets.push({ name: "recordPurchase with the clearing house's valuation vs without (same run, no failures)", measured: kept, goal: "≥ 0.9×", met: valuation.failures === 0 && kept >= 0.9 });
  }
  const campaigns = recordPurchase.campaigns;
  if (campaigns) {
    const kept = ratio(campaigns.requestsPerSecond, campaigns.plainPerSecond);
    targets.push({ name: `recordPurchase with ${campaigns.count} active campaigns vs without (verify clean, no failures)`, measured: kept, goal: "≥ 0.8×", met: clean && campaigns.failures === 0 && campaigns.plainFailures === 0 && kept >= 0.8 });
  }
  return targets;
}

/**
 * The median run of several: the runs ranked by how fast the machine was in each (our default
 * gateway's headline requests/s at concurrency 16 and 64, added), and the middle one taken (the
 * lower middle of an even count). Ranking by a ratio instead would pick the run that flatters it.
 */
export function medianRunIndex(runs: RunFigures[]): number {
  const speed = (run: RunFigures) => TARGET_CONCURRENCY.reduce((sum, c) => sum + (run.headline.coalition?.[c]?.requestsPerSecond ?? 0), 0);
  const ranked = runs.map((run, index) => ({ index, speed: speed(run) })).sort((a, b) => a.speed - b.speed || a.index - b.index);
  return ranked[Math.floor((ranked.length - 1) / 2)].index;
}

export interface TargetSpread extends Target {
  /** This target's measured value in every run, in run order. */
  runs: number[];
  min: number;
  max: number;
}

/** Every target of the median run, with the values the same target took in every run. */
export function spreadOf(targetsByRun: Target[][], median: number): TargetSpread[] {
  return targetsByRun[median].map((target, i) => {
    const values = targetsByRun.map((targets) => targets[i]?.measured ?? NaN);
    return { ...target, runs: values, min: Math.min(...values), max: Math.max(...values) };
  });
}
