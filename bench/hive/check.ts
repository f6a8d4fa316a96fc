import { mkdtemp } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import autocannon from "autocannon";
import { supergraphPath } from "../../gateway/src/gateway";
import { signToken } from "../../shared/src/auth/jwt";
import { REPO_ROOT, SUBGRAPH_NAMES, withDatabase } from "../../shared/src/config";
import { dropDatabase } from "../../shared/src/database";
import { createLogger } from "../../shared/src/logger";
import { DEMO_MEMBER_EMAIL, seedDemo } from "../../shared/src/stack/demo-seed";
import { bearer, requestGraphQL } from "../../shared/src/stack/graphql-client";
import { type PostgresServer, startEmbeddedPostgres } from "../../shared/src/stack/postgres";
import { type Stack, freePort, startStack } from "../../shared/src/stack/services";
import { type HiveGateway, startHiveGateway } from "./start-hive";

/**
 * Hive Gateway beside ours on one seeded stack: the README's headline query must give the same data
 * through both, and a bad token an error, never data. With --throughput, a quick autocannon run against
 * each (ours, Hive --fork 1, Hive --fork 2). After a build: node dist/bench/hive/check.js [--throughput]
 *
 * Postgres: the server of DATABASE_URL (databases suffixed _hivecheck, dropped afterwards), else an
 * embedded one in a temporary directory.
 */
const log = createLogger("hive-check");
const SUFFIX = "_hivecheck";

async function main() {
  const workDir = await mkdtemp(join(tmpdir(), "coalition-hivecheck-"));
  let postgres: PostgresServer | null = null;
  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    postgres = await startEmbeddedPostgres({ dataDir: join(workDir, "pg"), port: await freePort(), persistent: false, log });
    databaseUrl = postgres.url;
  }
  const dropOurs = async () => {
    for (const name of SUBGRAPH_NAMES) await dropDatabase(withDatabase(databaseUrl!, `coalition_${name}${SUFFIX}`));
  };
  let stack: Stack | null = null;
  let hive: HiveGateway | null = null;
  try {
    if (!postgres) await dropOurs(); // left over by an interrupted run
    stack = await startStack({
      // The rate limit (600 a minute per member) would answer most of a load test with 429: raised, still counted.
      env: { ...process.env, DATABASE_URL: databaseUrl, DATABASE_NAME_SUFFIX: SUFFIX, LOG_LEVEL: "warn", RATE_LIMIT_PER_MINUTE: "1000000000" },
      freePorts: true,
      logFile: join(workDir, "services.log"),
    });
    const secret = stack.env.JWT_SECRET!;
    const admin = bearer(signToken({ sub: "x", role: "admin" }, secret));
    await seedDemo(stack.gatewayUrl, log, admin);
    const { memberByEmail } = await requestGraphQL(stack.gatewayUrl, `query($e: String!) { memberByEmail(email: $e) { id } }`, { e: DEMO_MEMBER_EMAIL }, admin);
    const member = bearer(signToken({ sub: memberByEmail.id, role: "member" }, secret));
    const forged = bearer(signToken({ sub: memberByEmail.id, role: "member" }, "not-the-secret-".repeat(3)));
    const body = JSON.stringify({ query: headlineQuery() });
    const ours = stack.gatewayUrl;

    hive = await startHiveGateway({ port: await freePort(), workers: 2, supergraphPath: supergraphPath(), env: stack.env });
    console.log(`hive-gateway --fork 2 at ${hive.url}, pids ${hive.pids().join(" ")}`);

    const expected = await post(ours, body, member);
    check(expected.status === 200 && !expected.json.errors && expected.json.data?.memberByEmail?.displayName === "Ada Lovelace", "our gateway answers the headline query", expected);
    for (let i = 1; i <= 4; i++) {
      // Several requests, so both workers answer.
      const got = await post(hive.url, body, member);
      check(got.status === 200 && !got.json.errors && isDeepStrictEqual(got.json.data, expected.json.data), `Hive's data is deep-equal to ours (request ${i})`, got);
    }
    for (const [name, url] of [["Hive", hive.url], ["ours", ours]]) {
      const refused = await post(url, body, forged);
      const code = refused.json.errors?.[0]?.extensions?.code;
      check(refused.json.data == null && code === "UNAUTHENTICATED", `${name}: a forged token gets UNAUTHENTICATED, no data (HTTP ${refused.status}, "${refused.json.errors?.[0]?.message}")`, refused);
    }

    if (process.argv.includes("--throughput")) {
      console.log("\nthroughput, headline query, 16 connections, 10 s (after 3 s of warm-up), unique x-request-nonce per request");
      const gatewayPid = stack.services.gateway.child.pid!;
      await measure("ours (1 process)", ours, body, member, () => [gatewayPid]);
      await measure("Hive --fork 2", hive.url, body, member, hive.pids);
      await hive.stop();
      hive = await startHiveGateway({ port: await freePort(), workers: 1, supergraphPath: supergraphPath(), env: stack.env });
      await measure("Hive --fork 1", hive.url, body, member, hive.pids);
    }
  } finally {
    await hive?.stop();
    await stack?.stop();
    if (postgres) await postgres.stop();
    else await dropOurs();
  }
}

/** The `<!-- headline-query -->` block of README.md, as test/demo.test.ts reads it. */
function headlineQuery(): string {
  const match = /<!-- headline-query[^>]*-->\s*```graphql\n([\s\S]*?)```/.exec(readFileSync(join(REPO_ROOT, "README.md"), "utf8"));
  if (!match) throw new Error("README.md has no headline-query block");
  return match[1];
}

async function post(url: string, body: string, headers: Record<string, string>) {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
  return { status: response.status, json: (await response.json()) as { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] } };
}

function check(ok: boolean, what: string, detail: unknown) {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) throw new Error(`${what}: ${JSON.stringify(detail).slice(0, 2000)}`);
}

let nonce = 0;

/** Requests per second and latency of the gateway at `url`; peak memory of its processes, sampled every 250 ms. */
async function measure(name: string, url: string, body: string, headers: Record<string, string>, pids: () => number[]) {
  const run = (duration: number) =>
    autocannon({
      url,
      connections: 16,
      duration,
      method: "POST",
      // A unique header on each request: nothing can be collapsed on the way in.
      requests: [{ setupRequest: (request) => ({ ...request, body, headers: { ...headers, "content-type": "application/json", "x-request-nonce": String(++nonce) } }) }],
      verifyBody: (text) => !String(text).includes('"errors"'),
    });
  await run(3);
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMiB(pids()))), 250);
  const result = await run(10);
  clearInterval(sampler);
  const failed = result.errors + result.timeouts + result.non2xx + result.mismatches;
  console.log(
    `${name.padEnd(18)} ${result.requests.average.toFixed(1).padStart(7)} req/s  p50 ${result.latency.p50} ms  p99 ${result.latency.p99} ms  ` +
      `${result.requests.total} requests, ${failed} failed, peak RSS ${peakRss.toFixed(0)} MiB over ${pids().length} process(es)`,
  );
}

/** Resident memory of the processes, from /proc. */
function rssMiB(pids: number[]): number {
  let kib = 0;
  for (const pid of pids) {
    try {
      kib += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
    } catch {
      // gone
    }
  }
  return kib / 1024;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
