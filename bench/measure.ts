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
import { checkpointLedger, groupSizesOf, measurePurchaseCapacity, pooledCapacity } from "./purchase-capacity";
import type { RunResults, ScenarioResult } from "./report";
import { type BenchData, balanceRequests, headlineRequests, purchaseRequests, referencePrefix, statementRequests } from "./scenarios";
import { type GatewayKinds, judge } from "./targets";
import { withoutValuation } from "./valuation";
import { alternate, headlineSchedule } from "./schedule";

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
 * recordPurchase through our gateway, each ratio taken in alternating windows (bench/schedule.ts
 * `alternate`: plain, other, plain, other, plain over two rounds), each plain window the last of one
 * alternation and the first of the next: without the clearing house's valuation, then record_purchases
 * straight on the database with the group sizes of the plain window before each, then with 50 fresh
 * campaigns in each of their windows; then ledger:verify.
 */
async function measurePurchases(context: BenchContext, runIndex: number): Promise<RunResults["recordPurchase"]> {
  const { stack, data, urls, options, log, say } = context;
  const notCheckpointed = await checkpointLedger(stack.env, log);
  if (notCheckpointed) say(`  could not checkpoint the ledger's database before the purchases (${notCheckpointed}): measuring on`);
  // As for the headline: the purchase path (its query plan, the ledger's code) warms up first, long enough
  // for the gateways to drain what the headline's concurrency 256 left queued (a first window right after it
  // ran at a fifth of the next), and for most of the full-page images that follow the checkpoint.
  await runLoad({ url: urls.coalition!, connections: PURCHASE_CONCURRENCY, durationSeconds: Math.min(options.warmup, 20), next: purchaseRequests(data, referencePrefix(`warm${runIndex}`)) });
  // A window as long as one of the headline's (two rounds: the duration over two), 13 of them: a first plain
  // one, then for each of the three ratios two of its own, each followed by a plain one.
  const windowSeconds = options.duration / options.rounds;
  let windowNumber = 0;
  const purchaseSample = async (label: string) => {
    const prefix = referencePrefix(`${label}${runIndex}w${++windowNumber}`);
    return { prefix, sample: await sampleLoad({ url: urls.coalition!, connections: PURCHASE_CONCURRENCY, durationSeconds: windowSeconds, next: purchaseRequests(data, prefix) }) };
  };
  const plainWindow = () => purchaseSample("plain");
  const pooled = (windows: { sample: LoadSample }[]) => summarize(windows.map((w) => w.sample));
  const rates = (windows: { sample: LoadSample }[]) => windows.map((w) => summarize([w.sample]).requestsPerSecond);
  // Every ratio is taken in alternating windows, so a slow spell of this machine (a window can move by
  // nearly 2× from the one before) weighs on several windows of each side, and drift on both alike.
  // The clearing house's valuation off (bench/valuation.ts), before any campaign exists.
  const valuationWindows = await alternate(options.rounds, plainWindow, () => withoutValuation(stack.env, log, () => purchaseSample("unvalued")));
  const valued = pooled(valuationWindows.a);
  const unvalued = pooled(valuationWindows.b);
  const valuation = {
    withPerSecond: valued.requestsPerSecond,
    withoutPerSecond: unvalued.requestsPerSecond,
    withWindows: rates(valuationWindows.a),
    withoutWindows: rates(valuationWindows.b),
    failures: valued.failures + unvalued.failures,
    without: unvalued,
  };
  // record_purchases straight on the database, replaying the group sizes of the plain window right before.
  // One group in flight per ledger process, as the ledger writes them (PURCHASE_WRITE_GROUPS, default 1).
  const groupsInFlight = options.workers * Number(stack.env.PURCHASE_WRITE_GROUPS || 1);
  let lastPlain = valuationWindows.a[valuationWindows.a.length - 1];
  const directWindow = async () => {
    const groupSizes = await groupSizesOf(stack.env, lastPlain.prefix, log);
    return measurePurchaseCapacity({ env: stack.env, data, groupSizes, concurrency: groupsInFlight, durationSeconds: windowSeconds, referencePrefix: referencePrefix(`direct${runIndex}w${++windowNumber}`), log });
  };
  const afterPlain = async () => (lastPlain = await plainWindow());
  const directWindows = await alternate(options.rounds, afterPlain, directWindow, lastPlain);
  const purchases = pooled(directWindows.a);
  const capacity = pooledCapacity(directWindows.b);
  // The same load with the bench's 50 campaigns (issue 17), fresh ones in each window (created before it,
  // ended after it through the gateway), between plain windows.
  let bonusPoints = 0;
  let bonuses = 0;
  let count = 0;
  const campaignWindow = async () => {
    const campaignIds = await createBenchCampaigns(stack.gatewayUrl, stack.env.JWT_SECRET!, data);
    count = campaignIds.length;
    const window = await purchaseSample("campaigns");
    const awarded = await endBenchCampaigns(stack.gatewayUrl, stack.env, campaignIds, log);
    bonusPoints += awarded.bonusPoints;
    bonuses += awarded.bonuses;
    return window;
  };
  const campaignWindows = await alternate(options.rounds, plainWindow, campaignWindow, lastPlain);
  const plain = pooled(campaignWindows.a);
  const withCampaigns = pooled(campaignWindows.b);
  const campaigns = {
    count, bonusPoints, bonuses, ...withCampaigns,
    plainPerSecond: plain.requestsPerSecond, plainFailures: plain.failures,
    windows: rates(campaignWindows.b), plainWindows: rates(campaignWindows.a),
  };
  const verify = await ledgerVerify(stack.env);
  const each = (values: number[]) => values.map((v) => v.toFixed(1)).join(", ");
  say(`  purchases c=${PURCHASE_CONCURRENCY} ${summary(purchases)} (windows ${each(rates(directWindows.a))} req/s); direct ${capacity.purchasesPerSecond.toFixed(1)}/s (windows ${each(capacity.windows ?? [])}, mean group ${capacity.meanGroupSize.toFixed(2)}); ledger:verify ${verify.clean ? "clean" : "FAILED"}`);
  say(`  purchases without the clearing house's valuation ${summary(unvalued)} (windows ${each(valuation.withoutWindows)}); with it ${valuation.withPerSecond.toFixed(1)} req/s (windows ${each(valuation.withWindows)})`);
  say(`  purchases with ${campaigns.count} campaigns ${summary(withCampaigns)} (windows ${each(campaigns.windows)}); plain ${campaigns.plainPerSecond.toFixed(1)} req/s (windows ${each(campaigns.plainWindows)}, ${campaigns.plainFailures} failures); ${bonuses} bonuses, ${bonusPoints} bonus points awarded`);
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
