import { execFile } from "node:child_process";
import { loadavg } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT } from "../shared/src/config";
import type { Logger } from "../shared/src/logger";
import type { Stack } from "../tools/stack/services";
import type { GatewayName } from "./gateways";
import { type LoadResult, type LoadSample, type LoadOptions, drain, runLoad, sampleLoad, summarize, warmUp } from "./load";
import { createBenchCampaigns, endBenchCampaigns } from "./campaigns";
import { checkpointLedger, groupSizesOf, measurePurchaseCapacity } from "./purchase-capacity";
import type { RunResults, ScenarioResult } from "./report";
import { type BenchData, balanceRequests, headlineRequests, purchaseRequests, referencePrefix, statementRequests } from "./scenarios";
import { type GatewayKinds, judge } from "./targets";
import { withoutValuation } from "./valuation";
import { headlineSchedule } from "./schedule";

export const CONCURRENCY = [1, 16, 64, 256];
export const PURCHASE_CONCURRENCY = 32;

/** A further scenario (run.ts SCENARIOS): one closed-loop load through our gateway, measured in every run. */
export interface Scenario {
  /** Its key in the results (`scenarios.<name>`). */
  name: string;
  /** What the report calls it. */
  label: string;
  concurrency: number;
  /** Once, before the first run: anything the requests need (data, keys), through the gateway or the seeders. */
  setup?(context: BenchContext): Promise<void>;
  /** The body and headers of the next request (called once per request). */
  requests(context: BenchContext): LoadOptions["next"];
  /** After the window: a note for the report (e.g. a check of what was written). */
  notes?(context: BenchContext): Promise<string | undefined>;
}

/** What every measurement of a run needs. */
export interface BenchContext {
  stack: Stack;
  data: BenchData;
  /** Where each gateway that runs here is reached. */
  urls: Partial<Record<GatewayName, string>>;
  kinds: GatewayKinds;
  /**
   * `rounds`: the headline's windows per gateway and concurrency (2, or 1 in a quick run);
   * `windowWarmup`: seconds of load before each of those windows (1, or none in a quick run).
   */
  options: { duration: number; warmup: number; workers: number; rounds: number; windowWarmup: number };
  log: Logger;
  say(message: string): void;
}

/**
 * One run: the headline on every gateway at every concurrency, the deep member beside the shallow
 * one, purchases end to end and then straight into the database, and the further scenarios.
 */
export async function measureRun(context: BenchContext, runIndex: number, scenarios: Scenario[]): Promise<RunResults> {
  const { stack, data, urls, options, say } = context;
  const loadStart = loadavg()[0];
  const startedAt = new Date().toISOString();
  const gateways = Object.keys(urls) as GatewayName[];
  // Each run starts with another gateway; the windows' order (bench/schedule.ts) makes the machine's drift over
  // the run weigh on every gateway and every concurrency alike.
  const order = gateways.map((_, i) => gateways[(i + runIndex) % gateways.length]);
  const jwt = stack.env.JWT_SECRET!;
  const windowKey = (gateway: GatewayName, concurrency: number) => `${gateway} ${concurrency}`;
  const samples = new Map<string, LoadSample[]>(gateways.flatMap((g) => CONCURRENCY.map((c): [string, LoadSample[]] => [windowKey(g, c), []])));
  for (const { gateway, concurrency } of headlineSchedule(order, CONCURRENCY, options.rounds)) {
    const load = { url: urls[gateway]!, connections: concurrency, next: headlineRequests(data, jwt) };
    // Connections open at this concurrency, the gateway at this load.
    if (options.windowWarmup > 0) await warmUp({ ...load, durationSeconds: options.windowWarmup });
    samples.get(windowKey(gateway, concurrency))!.push(await sampleLoad({ ...load, durationSeconds: options.duration / options.rounds }));
    // The next window starts once this gateway has finished what this one left in flight.
    await drain(load);
  }
  const headline: RunResults["headline"] = {};
  for (const concurrency of CONCURRENCY) {
    for (const gateway of gateways) {
      (headline[gateway] ??= {})[concurrency] = summarize(samples.get(windowKey(gateway, concurrency))!);
      say(`  headline ${gateway.padEnd(22)} c=${String(concurrency).padEnd(3)} ${summary(headline[gateway]![concurrency])}`);
    }
  }

  // The two members side by side (one client each, at the same time), so the machine's drift from
  // one measurement to the next cannot pass for a difference between them.
  const historyLoad = (memberId: string) => runLoad({ url: urls.coalition!, connections: 1, durationSeconds: options.duration, next: headlineRequests(data, jwt, memberId) });
  const [light, heavy] = await Promise.all([historyLoad(data.light.id), historyLoad(data.heavy.id)]);
  const history = { lightEntries: data.light.entries, heavyEntries: data.heavy.entries, lightP50: light.p50, heavyP50: heavy.p50, failures: light.failures + heavy.failures };
  say(`  history   p50 ${history.lightP50} ms at ${history.lightEntries} entries, ${history.heavyP50} ms at ${history.heavyEntries}, ${history.failures} failures`);

  const recordPurchase = await measurePurchases(context, runIndex);
  // The clearing house: a partner's open statement (this month's running totals, with the purchases
  // just made) against a member's balance read, side by side (one client each) as for the history.
  const [statementLoad, balanceLoad] = await Promise.all([
    runLoad({ url: urls.coalition!, connections: 1, durationSeconds: options.duration, next: statementRequests(data) }),
    runLoad({ url: urls.coalition!, connections: 1, durationSeconds: options.duration, next: balanceRequests(data, jwt) }),
  ]);
  const statement = { statementP50: statementLoad.p50, balanceP50: balanceLoad.p50, failures: statementLoad.failures + balanceLoad.failures };
  say(`  statement p50 ${statement.statementP50} ms, balance p50 ${statement.balanceP50} ms, ${statement.failures} failures`);
  const results: Record<string, ScenarioResult> = {};
  for (const scenario of scenarios) {
    const url = urls.coalition!;
    await runLoad({ url, connections: scenario.concurrency, durationSeconds: Math.min(options.warmup, 5), next: scenario.requests(context) });
    const load = await runLoad({ url, connections: scenario.concurrency, durationSeconds: options.duration, next: scenario.requests(context) });
    results[scenario.name] = { label: scenario.label, concurrency: scenario.concurrency, load, notes: await scenario.notes?.(context) };
    say(`  ${scenario.name} c=${scenario.concurrency} ${summary(load)}`);
  }
  const figures = { headline, history, recordPurchase, statement };
  return { startedAt, loadAverage: { start: loadStart, end: loadavg()[0] }, order, ...figures, scenarios: results, targets: judge(figures, context.kinds) };
}

/**
 * recordPurchase through our gateway without the clearing house's valuation between two windows with it,
 * then record_purchases straight on the database with the group sizes of the last of them, then plain
 * through the gateway again, with 50 campaigns and plain again; then ledger:verify.
 */
async function measurePurchases(context: BenchContext, runIndex: number): Promise<RunResults["recordPurchase"]> {
  const { stack, data, urls, options, log, say } = context;
  const notCheckpointed = await checkpointLedger(stack.env, log);
  if (notCheckpointed) say(`  could not checkpoint the ledger's database before the purchases (${notCheckpointed}): measuring on`);
  // As for the headline: the purchase path (its query plan, the ledger's code) warms up first, long enough
  // for the gateways to drain what the headline's concurrency 256 left queued (a first window right after it
  // ran at a fifth of the next), and for most of the full-page images that follow the checkpoint.
  await runLoad({ url: urls.coalition!, connections: PURCHASE_CONCURRENCY, durationSeconds: Math.min(options.warmup, 20), next: purchaseRequests(data, referencePrefix(`warm${runIndex}`)) });
  const purchaseSample = (label: string) => sampleLoad({ url: urls.coalition!, connections: PURCHASE_CONCURRENCY, durationSeconds: options.duration, next: purchaseRequests(data, referencePrefix(`${label}${runIndex}`)) });
  const purchaseLoad = async (label: string) => summarize([await purchaseSample(label)]);
  // Every ratio is taken A/B/A, the windows on both sides of the one compared pooled, so drift weighs on
  // both sides alike: the valuation off between two windows with it; the direct calls between the last
  // of those and one more plain window; the campaigns between that one and another.
  // The clearing house's valuation off (bench/valuation.ts), between two windows with it on, before any campaign exists.
  const valued = await purchaseLoad("valued");
  const unvalued = await withoutValuation(stack.env, log, () => purchaseLoad("unvalued"));
  const beforeDirect = await purchaseSample("revalued");
  const valuedAgain = summarize([beforeDirect]);
  const valuation = {
    withPerSecond: (valued.requestsPerSecond + valuedAgain.requestsPerSecond) / 2,
    withoutPerSecond: unvalued.requestsPerSecond,
    withBeforeAndAfter: [valued.requestsPerSecond, valuedAgain.requestsPerSecond] as [number, number],
    failures: valued.failures + unvalued.failures + valuedAgain.failures,
    without: unvalued,
  };
  const groupSizes = await groupSizesOf(stack.env, referencePrefix(`revalued${runIndex}`), log);
  // One group in flight per ledger process, as the ledger writes them (PURCHASE_WRITE_GROUPS, default 1).
  const groupsInFlight = options.workers * Number(stack.env.PURCHASE_WRITE_GROUPS || 1);
  const capacity = await measurePurchaseCapacity({ env: stack.env, data, groupSizes, concurrency: groupsInFlight, durationSeconds: options.duration, referencePrefix: referencePrefix(`direct${runIndex}`), log });
  // End to end, the figure compared with the direct calls: the windows right before and after them.
  const afterDirect = await purchaseSample("plain");
  const purchases = summarize([beforeDirect, afterDirect]);
  const plainBefore = summarize([afterDirect]);
  // The same load with 50 active campaigns (issue 17), then plain again: the two plain windows,
  // right before and after, are the plain figure the campaigns' ratio is taken against (drift weighs on both alike).
  const campaignIds = await createBenchCampaigns(stack.gatewayUrl, stack.env.JWT_SECRET!, data);
  const withCampaigns = await purchaseLoad("campaigns");
  const { bonusPoints, bonuses } = await endBenchCampaigns(stack.gatewayUrl, stack.env, campaignIds, log);
  const plainAfter = await purchaseLoad("after");
  const plain = { plainPerSecond: (plainBefore.requestsPerSecond + plainAfter.requestsPerSecond) / 2, plainFailures: plainBefore.failures + plainAfter.failures };
  const campaigns = { count: campaignIds.length, bonusPoints, bonuses, ...plain, ...withCampaigns };
  const verify = await ledgerVerify(stack.env);
  say(`  purchases c=${PURCHASE_CONCURRENCY} ${summary(purchases)} (the windows before and after the direct calls: ${valuedAgain.requestsPerSecond.toFixed(1)}, ${plainBefore.requestsPerSecond.toFixed(1)} req/s); direct ${capacity.purchasesPerSecond.toFixed(1)}/s (mean group ${capacity.meanGroupSize.toFixed(2)}); ledger:verify ${verify.clean ? "clean" : "FAILED"}`);
  say(`  purchases without the clearing house's valuation ${summary(unvalued)}; with it ${valuation.withPerSecond.toFixed(1)} req/s (before and after: ${valued.requestsPerSecond.toFixed(1)}, ${valuedAgain.requestsPerSecond.toFixed(1)})`);
  say(`  purchases with ${campaigns.count} campaigns ${summary(withCampaigns)} (plain before and after: ${plainBefore.requestsPerSecond.toFixed(1)}, ${plainAfter.requestsPerSecond.toFixed(1)} req/s, ${campaigns.plainFailures} failures); ${bonuses} bonuses, ${bonusPoints} bonus points awarded`);
  return { ...purchases, concurrency: PURCHASE_CONCURRENCY, verifyClean: verify.clean, verifyOutput: verify.output, directPerSecond: capacity.purchasesPerSecond, directFailures: capacity.failures, capacity, valuation, campaigns };
}

export const summary = (r: LoadResult) => `${r.requestsPerSecond.toFixed(1)} req/s, p50 ${r.p50} ms, p95 ${r.p95} ms, p99 ${r.p99} ms, ${r.failures} failures, ${r.shed} shed`;

async function ledgerVerify(env: NodeJS.ProcessEnv): Promise<{ clean: boolean; output: string }> {
  const tool = join(REPO_ROOT, "dist", "subgraphs", "ledger", "src", "tools", "verify.js");
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [tool], { env, maxBuffer: 10_000_000 });
    return { clean: stdout.includes("Every balance matches its history."), output: stdout.trim() };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    return { clean: false, output: `${failed.stdout ?? ""}${failed.stderr ?? ""}`.trim() };
  }
}
