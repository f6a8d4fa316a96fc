import { createWriteStream } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { availableParallelism, cpus, platform, release, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { signToken } from "../shared/src/auth/jwt";
import { SUBGRAPH_NAMES, withDatabase } from "../shared/src/config";
import { dropDatabase } from "../shared/src/database";
import { createLogger } from "../shared/src/logger";
import { progressPrinter } from "../tools/seed/main";
import { bearer, postGraphQL, requestGraphQLRetrying } from "../tools/stack/graphql-client";
import { type PostgresServer, startEmbeddedPostgres } from "../tools/stack/postgres";
import { type Stack, freePort, startStack } from "../tools/stack/services";
import { GATEWAY_PAIRINGS, type GatewayName } from "./gateways";
import { runLoad } from "./load";
import { type BenchContext, CONCURRENCY, type Scenario, measureRun } from "./measure";
import { parseOptions } from "./options";
import { type GatewayUnderTest, peakRssMiB, processTree } from "./processes";
import { type BenchResults, type GatewayEntry, type RunResults, markdown, svgChart } from "./report";
import { type BenchData, HEADLINE_QUERY, headlineRequests, seedBenchData } from "./scenarios";
import { medianRunIndex, spreadOf } from "./targets";

/**
 * `npm run bench [-- --repeat 3]`: seeds a coalition on a fresh embedded Postgres (or DATABASE_URL's
 * server), starts the stack and every gateway of GATEWAY_PAIRINGS (bench/gateways.ts) on the same
 * subgraphs and supergraph, and measures them, once or --repeat times on the same stack and data.
 * Writes bench/results/latest.{json,md,svg} (or --out DIR): the median run, and every target's spread.
 */

/**
 * Further scenarios, measured through our gateway in every run after the headline and purchases, one
 * entry each (see Scenario in measure.ts): e.g.
 *   { name: "statement", label: "A partner's statement", concurrency: 16,
 *     setup: async (ctx) => { ...create what it reads, through ctx.stack.gatewayUrl... },
 *     requests: (ctx) => () => ({ body: JSON.stringify({ query, variables }), headers: { "x-api-key": ctx.data.partners[0].apiKey } }) }
 * Each gets a line in the report (requests/s, p50, p99, failures, shed) and `scenarios.<name>` in latest.json.
 */
const SCENARIOS: Scenario[] = [];

const log = createLogger("bench");
const started = Date.now();
const say = (message: string) => process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}\n`);

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const startedAt = new Date().toISOString();
  const workDir = await mkdtemp(join(tmpdir(), "coalition-bench-"));
  const output = createWriteStream(join(workDir, "services.log"), { flags: "a" });
  const suffix = `_bench_${process.pid}`;
  // Each thing this run starts is kept from the moment it starts starting: a stop (a signal, a failure)
  // waits for what is starting and stops it, and once stopping, nothing new is started.
  let postgres: Promise<PostgresServer> | null = null;
  let databaseUrl = process.env.DATABASE_URL;
  let stackStarting: Promise<Stack> | null = null;
  const gateways: Promise<GatewayUnderTest>[] = [];
  // Every step is tried even when one before it failed: nothing this run started may outlive it.
  const attempt = (what: string, step: () => Promise<unknown>) => step().catch((error) => say(`could not ${what}: ${error instanceof Error ? error.message : error}`));
  let cleaning: Promise<void> | null = null;
  const cleanUp = () => (cleaning ??= stopEverything());
  const stopEverything = async () => {
    // What failed to start has nothing to stop (and stopped what it had started itself).
    const started = <T>(thing: Promise<T> | null) => thing?.catch(() => null) ?? null;
    await Promise.all(gateways.map((starting) => attempt("stop a gateway", async () => (await started(starting))?.stop())));
    await attempt("stop the stack", async () => (await started(stackStarting))?.stop());
    if (postgres) await attempt("stop Postgres", async () => (await started(postgres))?.stop());
    else if (databaseUrl) for (const name of SUBGRAPH_NAMES) await attempt(`drop ${name}'s database`, () => dropDatabase(withDatabase(databaseUrl!, `coalition_${name}${suffix}`)));
    output.end();
    await rm(workDir, { recursive: true, force: true });
  };
  /** `start` begun, and kept for the stop, unless the run is stopping already. */
  const starting = <T>(start: () => Promise<T>): Promise<T> => {
    if (cleaning) throw new Error("stopping: nothing more is started");
    return start();
  };
  // Ctrl-C, SIGTERM or a closed terminal: everything this run started is stopped, Postgres last (its
  // package's own hook, which stopped it under the services and exited first, is off: signals "caller").
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.once(signal, () => void cleanUp().finally(() => process.exit(130)));
  try {
    if (!databaseUrl) {
      say("Starting embedded Postgres…");
      postgres = starting(async () => startEmbeddedPostgres({ dataDir: join(workDir, "pg"), port: await freePort(), persistent: false, log, signals: "caller", flags: ["-c", "max_connections=400", "-c", `shared_buffers=${sharedBuffersMiB()}MB`, ...CHECKPOINTS_WHEN_ASKED] }));
      databaseUrl = (await postgres).url;
    }
    // TRUSTED_DOCUMENTS=off: production's default (partners) would refuse the bench's partner-key operations, which are
    // in no manifest; the bench measures the API's work, and a manifest lookup is one map read (README, Trusted documents).
    const env = { ...process.env, DATABASE_URL: databaseUrl, DATABASE_NAME_SUFFIX: suffix, NODE_ENV: "production", LOG_LEVEL: "warn", WORKERS: String(options.workers), RATE_LIMIT_PER_MINUTE: "1000000000", TRUSTED_DOCUMENTS: "off" };
    say(`Starting the stack (${options.workers} workers per service)…`);
    stackStarting = starting(() => startStack({ env, freePorts: true, logFile: join(workDir, "services.log") }));
    const stack = await stackStarting;
    say(`Seeding ${options.members.toLocaleString("en")} members, ~${options.entries.toLocaleString("en")} entries, a member with ${options.heavyEntries.toLocaleString("en")}…`);
    const seedStarted = Date.now();
    const data = await seedBenchData(stack, options, progressPrinter());
    const seedSeconds = (Date.now() - seedStarted) / 1000;

    const entries: GatewayEntry[] = [];
    const urls: Partial<Record<GatewayName, string>> = {};
    const running = new Map<GatewayName, GatewayUnderTest>();
    // Every pairing starts at once (each start is mostly loading code, and some wait on their ports):
    // seven in a row took 26 s of a quick run. Nothing is measured until all are up.
    const startingPairings: [GatewayName, Promise<GatewayUnderTest>][] = [];
    for (const pairing of GATEWAY_PAIRINGS) {
      const skipped = pairing.unavailable();
      entries.push({ name: pairing.name, label: pairing.label, ...(skipped ? { skipped } : {}) });
      if (skipped) {
        say(`Skipping ${pairing.name}: ${skipped}`);
        continue;
      }
      const gatewayStarting = starting(() => pairing.start({ stack, workers: options.workers, output }));
      gateways.push(gatewayStarting);
      // Awaited below, in order: one failing while an earlier one is awaited is not an unhandled rejection.
      gatewayStarting.catch(() => undefined);
      startingPairings.push([pairing.name, gatewayStarting]);
    }
    say(`Starting ${startingPairings.map(([name]) => name).join(", ")}…`);
    for (const [name, gatewayStarting] of startingPairings) {
      const gateway = await gatewayStarting;
      running.set(name, gateway);
      urls[name] = gateway.url;
    }
    await expectSameAnswers(urls, data, stack.env.JWT_SECRET!);
    const measuredPairings = GATEWAY_PAIRINGS.filter((g) => urls[g.name]);
    const context: BenchContext = {
      stack,
      data,
      urls,
      kinds: {
        hive: measuredPairings.filter((g) => g.family === "hive").map((g) => g.name),
        hiveWithoutCache: measuredPairings.filter((g) => g.family === "hive" && !g.cache).map((g) => g.name),
      },
      // A quick run (the smoke test) measures each window once, without warming up before it: it proves the harness, not speeds.
      options: { ...options, rounds: options.quick ? 1 : 2, windowWarmup: options.quick ? 0 : 1 },
      log,
      say,
    };

    // JIT, plan caches and connection pools warm up over seconds, for the subgraphs as for each gateway.
    say(`Warming up (${options.warmup} s per gateway)…`);
    for (const name of Object.keys(urls) as GatewayName[]) await runLoad({ url: urls[name]!, connections: 16, durationSeconds: options.warmup, next: headlineRequests(data, stack.env.JWT_SECRET!) });
    for (const scenario of SCENARIOS) await scenario.setup?.(context);
    const runs: RunResults[] = [];
    for (let run = 0; run < options.repeat; run++) {
      say(`Run ${run + 1} of ${options.repeat}…`);
      runs.push(await measureRun(context, run, SCENARIOS));
    }

    const peakRss: Record<string, number> = {};
    for (const [name, service] of Object.entries(stack.services)) if (name !== "gateway") peakRss[name] = peakRssMiB(processTree(service.child.pid!));
    for (const [name, gateway] of running) peakRss[name] = peakRssMiB(gateway.pids());
    const median = medianRunIndex(runs);
    const results: BenchResults = {
      ...runs[median],
      startedAt,
      quick: options.quick,
      machine: { cpus: availableParallelism(), cpuModel: cpus()[0]?.model ?? "unknown", memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, os: `${platform()} ${release()}` },
      dataset: { members: data.members, partners: data.partners.length, rewards: data.rewards, ledgerEntries: data.ledgerEntries, heavyMemberEntries: data.heavy.entries, seedSeconds },
      settings: { workers: options.workers, durationSeconds: options.duration, concurrency: CONCURRENCY, repeat: options.repeat, rounds: context.options.rounds, windowWarmupSeconds: context.options.windowWarmup },
      gateways: entries,
      peakRssMiB: peakRss,
      medianRun: median,
      runs,
      spread: spreadOf(runs.map((r) => r.targets), median),
    };
    await mkdir(options.out, { recursive: true });
    await writeFile(join(options.out, "latest.json"), `${JSON.stringify(results, null, 2)}\n`);
    await writeFile(join(options.out, "latest.md"), markdown(results));
    await writeFile(join(options.out, "latest.svg"), svgChart(results));
    process.stdout.write(`\n${markdown(results)}\nWritten to ${options.out}/latest.{json,md,svg}\n`);
  } finally {
    await cleanUp();
  }
}

/**
 * Postgres's default shared_buffers (128 MB) holds a tenth of the bench's ledger (about 2 GB), so
 * every write would go through the OS's cache. A quarter of memory is the usual production setting.
 */
const sharedBuffersMiB = () => Math.min(8192, Math.max(128, Math.floor(totalmem() / 4 / 2 ** 20)));

/**
 * Checkpoints only when the bench asks for one (checkpointLedger, before each run's purchases), never by
 * the clock (5 min by default) or by WAL volume (1 GB by default) in the middle of a window: after a
 * checkpoint, the first write to each page carries a full image of it, and a purchase wrote 25-30 KB
 * of WAL instead of 4.4 KB in the seconds after one (measured straight on record_purchases), which
 * slowed whichever window it fell in, valued or not, with campaigns or without. The seed's WAL (a few
 * GB) is bounded by max_wal_size; the server runs on a throwaway data directory.
 */
const CHECKPOINTS_WHEN_ASKED = ["-c", "checkpoint_timeout=1h", "-c", "max_wal_size=8GB"];

/** Before measuring anything: every gateway gives the same answer to the headline query, and refuses a forged token. */
async function expectSameAnswers(urls: Partial<Record<GatewayName, string>>, data: BenchData, jwtSecret: string): Promise<void> {
  const names = Object.keys(urls) as GatewayName[];
  const member = data.light.id;
  const headers = bearer(signToken({ sub: member, role: "member" }, jwtSecret));
  // Twice: the second answer of a caching gateway comes from its cache. Retrying as the README tells
  // clients to: with seven gateways starting at once on a slow machine, the members service once left
  // our gateway's first erasure check unanswered past its breaker's stall time (UPSTREAM_UNAVAILABLE).
  for (let pass = 0; pass < 2; pass++) {
    const answers = await Promise.all(names.map((g) => requestGraphQLRetrying(urls[g]!, HEADLINE_QUERY, { id: member }, headers)));
    const [first, ...rest] = answers.map((a) => JSON.stringify(a));
    if (rest.some((a) => a !== first)) throw new Error(`The gateways disagree on the headline query:\n${answers.map((a, i) => `${names[i]}: ${JSON.stringify(a)}`).join("\n")}`);
  }
  // And each checks who is asking: a token signed with another secret gets no data.
  const forged = bearer(signToken({ sub: member, role: "member" }, `${jwtSecret}-forged`));
  for (const gateway of names) {
    const answer = await postGraphQL(urls[gateway]!, HEADLINE_QUERY, { id: member }, forged);
    if (answer.data?.member || !answer.errors?.length) throw new Error(`${gateway} answered a forged token with data`);
  }
}

main().catch((error) => {
  say(`bench failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
