import { execFile } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { availableParallelism, cpus, platform, release, tmpdir, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { signToken } from "../shared/src/auth/jwt";
import { REPO_ROOT, SUBGRAPH_NAMES, withDatabase } from "../shared/src/config";
import { dropDatabase } from "../shared/src/database";
import { createLogger } from "../shared/src/logger";
import { progressPrinter } from "../tools/seed/main";
import { bearer, postGraphQL, requestGraphQL } from "../tools/stack/graphql-client";
import { type PostgresServer, startEmbeddedPostgres } from "../tools/stack/postgres";
import { type Stack, freePort, startStack } from "../tools/stack/services";
import { startHiveGateway } from "./hive/start-hive";
import { type LoadResult, type LoadSample, runLoad, sampleLoad, summarize } from "./load";
import { type GatewayUnderTest, peakRssMiB, processTree, startInProcessGateway } from "./processes";
import { type BenchResults, GATEWAYS, type GatewayName, judge, markdown, svgChart } from "./report";
import { type BenchData, HEADLINE_QUERY, balanceRequests, headlineRequests, purchaseRequests, seedBenchData, statementRequests } from "./scenarios";

/**
 * `npm run bench`: seeds a coalition on a fresh embedded Postgres (or DATABASE_URL's server), starts
 * the stack, our gateway's in-process baseline and Hive Gateway on the same subgraphs and supergraph,
 * and measures them in one run. Writes bench/results/latest.{json,md,svg} (or --out DIR).
 */
interface Options {
  quick: boolean;
  members: number;
  partners: number;
  rewards: number;
  entries: number;
  heavyEntries: number;
  workers: number;
  duration: number;
  warmup: number;
  out: string;
}

const VALUE_FLAGS = ["--members", "--partners", "--rewards", "--entries", "--heavy-entries", "--workers", "--duration", "--warmup", "--out"];

function parseOptions(argv: string[]): Options {
  for (let i = 0; i < argv.length; i++) {
    if (VALUE_FLAGS.includes(argv[i])) i++;
    else if (argv[i] !== "--quick") throw new Error(`Unknown option ${argv[i]} (options: --quick, ${VALUE_FLAGS.join(", ")})`);
  }
  const quick = argv.includes("--quick");
  const value = (flag: string, fallback: number) => {
    const at = argv.indexOf(flag);
    if (at < 0) return fallback;
    const parsed = Number(argv[at + 1]);
    if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`${flag} needs a number, got "${argv[at + 1]}"`);
    return parsed;
  };
  const at = argv.indexOf("--out");
  const members = value("--members", quick ? 500 : 10_000);
  return {
    quick,
    members,
    partners: value("--partners", quick ? 5 : 20),
    rewards: value("--rewards", quick ? 20 : 200),
    entries: value("--entries", members * 100),
    heavyEntries: value("--heavy-entries", quick ? 5_000 : 100_000),
    // Every service shares this machine: each gets its share of the CPUs (one process per service on 2 to 9 cores).
    workers: value("--workers", Math.max(1, Math.floor(availableParallelism() / 5))),
    duration: value("--duration", quick ? 2 : 10),
    warmup: value("--warmup", quick ? 2 : 20),
    out: resolve(at >= 0 ? argv[at + 1] : join(REPO_ROOT, "bench", "results", quick ? "quick" : "")),
  };
}

const CONCURRENCY = [1, 16, 64];
const PURCHASE_CONCURRENCY = 32;
const HEADLINE_ROUNDS = 2;
const log = createLogger("bench");
const started = Date.now();
const say = (message: string) => process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}\n`);

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const startedAt = new Date().toISOString();
  const workDir = await mkdtemp(join(tmpdir(), "coalition-bench-"));
  const output = createWriteStream(join(workDir, "services.log"), { flags: "a" });
  const suffix = `_bench_${process.pid}`;
  let postgres: PostgresServer | null = null;
  let databaseUrl = process.env.DATABASE_URL;
  let stack: Stack | null = null;
  const gateways: GatewayUnderTest[] = [];
  const cleanUp = async () => {
    for (const gateway of gateways) await gateway.stop();
    await stack?.stop();
    if (postgres) await postgres.stop();
    else if (databaseUrl) for (const name of SUBGRAPH_NAMES) await dropDatabase(withDatabase(databaseUrl, `coalition_${name}${suffix}`));
    output.end();
    await rm(workDir, { recursive: true, force: true });
  };
  process.once("SIGINT", () => void cleanUp().finally(() => process.exit(130)));
  try {
    if (!databaseUrl) {
      say("Starting embedded Postgres…");
      postgres = await startEmbeddedPostgres({ dataDir: join(workDir, "pg"), port: await freePort(), persistent: false, log, flags: ["-c", "max_connections=300", "-c", `shared_buffers=${sharedBuffersMiB()}MB`] });
      databaseUrl = postgres.url;
    }
    const env = { ...process.env, DATABASE_URL: databaseUrl, DATABASE_NAME_SUFFIX: suffix, NODE_ENV: "production", LOG_LEVEL: "warn", WORKERS: String(options.workers), RATE_LIMIT_PER_MINUTE: "1000000000" };
    say(`Starting the stack (${options.workers} workers per service)…`);
    stack = await startStack({ env, freePorts: true, logFile: join(workDir, "services.log") });
    say(`Seeding ${options.members.toLocaleString("en")} members, ~${options.entries.toLocaleString("en")} entries, a member with ${options.heavyEntries.toLocaleString("en")}…`);
    const seedStarted = Date.now();
    const data = await seedBenchData(stack, options, progressPrinter());
    const seedSeconds = (Date.now() - seedStarted) / 1000;

    say("Starting Hive Gateway and the in-process baseline…");
    const hive = await startHiveGateway({ port: await freePort(), workers: options.workers, supergraphPath: join(REPO_ROOT, "gateway", "supergraph.graphql"), env: stack.env });
    const inProcess = await startInProcessGateway(stack.env, output);
    gateways.push({ name: "hive", ...hive }, inProcess);
    const urls: Record<GatewayName, string> = { coalition: stack.gatewayUrl, hive: hive.url, "in-process": inProcess.url };
    await expectSameAnswers(urls, data, stack.env.JWT_SECRET!);

    // JIT and connection pools warm up over seconds, for the subgraphs as for each gateway.
    say(`Warming up (${options.warmup} s per gateway)…`);
    for (const gateway of GATEWAYS) await runLoad({ url: urls[gateway], connections: 16, durationSeconds: options.warmup, next: headlineRequests(data, stack.env.JWT_SECRET!) });
    const headline = {} as BenchResults["headline"];
    for (const gateway of GATEWAYS) headline[gateway] = {};
    for (const concurrency of CONCURRENCY) {
      // The gateways take turns, in rounds, and each one's rounds are pooled: the machine's drift over
      // a minute then weighs on all three alike instead of on whichever ran in a slow spell.
      const samples = Object.fromEntries(GATEWAYS.map((gateway) => [gateway, [] as LoadSample[]])) as Record<GatewayName, LoadSample[]>;
      for (let round = 0; round < HEADLINE_ROUNDS; round++) {
        for (const gateway of GATEWAYS) {
          const load = (durationSeconds: number) => sampleLoad({ url: urls[gateway], connections: concurrency, durationSeconds, next: headlineRequests(data, stack!.env.JWT_SECRET!) });
          await load(1); // connections open at this concurrency
          samples[gateway].push(await load(options.duration / HEADLINE_ROUNDS));
        }
      }
      for (const gateway of GATEWAYS) {
        headline[gateway][concurrency] = summarize(samples[gateway]);
        say(`  headline ${gateway.padEnd(10)} c=${String(concurrency).padEnd(3)} ${summary(headline[gateway][concurrency])}`);
      }
    }

    // The two members side by side (one client each, at the same time), so the machine's drift from
    // one measurement to the next cannot pass for a difference between them: measured one after the
    // other, the same code gave ratios from 1.00 to 1.19; side by side, 1.02 to 1.04.
    const historyLoad = (memberId: string) => runLoad({ url: urls.coalition, connections: 1, durationSeconds: options.duration, next: headlineRequests(data, stack!.env.JWT_SECRET!, memberId) });
    const [light, heavy] = await Promise.all([historyLoad(data.light.id), historyLoad(data.heavy.id)]);
    const history = { lightEntries: data.light.entries, heavyEntries: data.heavy.entries, lightP50: light.p50, heavyP50: heavy.p50 };
    say(`  history   p50 ${history.lightP50} ms at ${history.lightEntries} entries, ${history.heavyP50} ms at ${history.heavyEntries}`);

    // As for the headline: the purchase path (its query plan, the ledger's code) warms up first; these purchases are verified too.
    await runLoad({ url: urls.coalition, connections: PURCHASE_CONCURRENCY, durationSeconds: Math.min(options.warmup, 5), next: purchaseRequests(data) });
    const purchases = await runLoad({ url: urls.coalition, connections: PURCHASE_CONCURRENCY, durationSeconds: options.duration, next: purchaseRequests(data) });
    const verify = await ledgerVerify(stack.env);
    say(`  purchases c=${PURCHASE_CONCURRENCY} ${summary(purchases)}; ledger:verify ${verify.clean ? "clean" : "FAILED"}`);

    // The clearing house: a partner's open statement (this month's running totals, with the purchases
    // just made) against a member's balance read, side by side (one client each) as for the history.
    const [statementLoad, balanceLoad] = await Promise.all([
      runLoad({ url: urls.coalition, connections: 1, durationSeconds: options.duration, next: statementRequests(data) }),
      runLoad({ url: urls.coalition, connections: 1, durationSeconds: options.duration, next: balanceRequests(data, stack.env.JWT_SECRET!) }),
    ]);
    const statement = { statementP50: statementLoad.p50, balanceP50: balanceLoad.p50, failures: statementLoad.failures + balanceLoad.failures };
    say(`  statement p50 ${statement.statementP50} ms, balance p50 ${statement.balanceP50} ms, ${statement.failures} failures`);

    const peakRss: Record<string, number> = {};
    for (const [name, service] of Object.entries(stack.services)) peakRss[name === "gateway" ? "coalition gateway" : name] = peakRssMiB(processTree(service.child.pid!));
    peakRss["hive gateway"] = peakRssMiB(hive.pids());
    peakRss["in-process baseline"] = peakRssMiB(inProcess.pids());

    const partial: Omit<BenchResults, "targets"> = {
      startedAt,
      quick: options.quick,
      machine: { cpus: availableParallelism(), cpuModel: cpus()[0]?.model ?? "unknown", memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, os: `${platform()} ${release()}` },
      dataset: { members: data.members, partners: data.partners.length, rewards: data.rewards, ledgerEntries: data.ledgerEntries, heavyMemberEntries: data.heavy.entries, seedSeconds },
      settings: { workers: options.workers, durationSeconds: options.duration, concurrency: CONCURRENCY },
      headline,
      recordPurchase: { ...purchases, concurrency: PURCHASE_CONCURRENCY, verifyClean: verify.clean, verifyOutput: verify.output },
      history,
      statement,
      peakRssMiB: peakRss,
    };
    const results: BenchResults = { ...partial, targets: judge(partial) };
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

const summary = (r: LoadResult) => `${r.requestsPerSecond.toFixed(1)} req/s, p50 ${r.p50} ms, p95 ${r.p95} ms, p99 ${r.p99} ms, ${r.failures} failures`;

/** Before measuring anything: the three gateways give the same answer to the headline query, and refuse a forged token. */
async function expectSameAnswers(urls: Record<GatewayName, string>, data: BenchData, jwtSecret: string): Promise<void> {
  const member = data.light.id;
  const headers = bearer(signToken({ sub: member, role: "member" }, jwtSecret));
  const answers = await Promise.all(GATEWAYS.map((g) => requestGraphQL(urls[g], HEADLINE_QUERY, { id: member }, headers)));
  const [first, ...rest] = answers.map((a) => JSON.stringify(a));
  if (rest.some((a) => a !== first)) throw new Error(`The gateways disagree on the headline query:\n${answers.map((a, i) => `${GATEWAYS[i]}: ${JSON.stringify(a)}`).join("\n")}`);
  // And each checks who is asking: a token signed with another secret gets no data.
  const forged = bearer(signToken({ sub: member, role: "member" }, `${jwtSecret}-forged`));
  for (const gateway of GATEWAYS) {
    const answer = await postGraphQL(urls[gateway], HEADLINE_QUERY, { id: member }, forged);
    if (answer.data?.member || !answer.errors?.length) throw new Error(`${gateway} answered a forged token with data`);
  }
}

async function ledgerVerify(env: NodeJS.ProcessEnv): Promise<{ clean: boolean; output: string }> {
  const tool = join(REPO_ROOT, "dist", "subgraphs", "ledger", "src", "tools", "verify.js");
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [tool], { env });
    return { clean: stdout.includes("Every balance matches its history."), output: stdout.trim() };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    return { clean: false, output: `${failed.stdout ?? ""}${failed.stderr ?? ""}`.trim() };
  }
}

main().catch((error) => {
  say(`bench failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
