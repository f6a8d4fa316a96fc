import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { request } from "node:http";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { REPO_ROOT } from "../../shared/src/config";
import { processTree } from "../processes";

/**
 * Hive Gateway (@graphql-hive/gateway, the locally installed CLI) over our subgraphs, for the benchmark:
 * the same supergraph file as our gateway, configured by ./gateway.config.mjs to do the same work.
 */
export interface HiveGatewayOptions {
  port: number;
  /** `--fork`: 1 means one process serving requests itself; N > 1 a main process and N worker processes. */
  workers: number;
  supergraphPath: string;
  /** The stack's environment: subgraph URLs (MEMBERS_URL...), GATEWAY_SECRET, SERVICE_SECRET, JWT_SECRET. */
  env: NodeJS.ProcessEnv;
  /** Keep subgraph answers their Cache-Control allows (Hive's HTTP cache plugin); off by default. */
  httpCache?: boolean;
  /** Plan and execute with @graphql-hive/router-runtime (Rust query planner); see routerRuntimeInstalled. */
  routerRuntime?: boolean;
}

export interface HiveGateway {
  url: string;
  /** The main process and its workers, for sampling memory. */
  pids(): number[];
  /** SIGTERM, then SIGKILL for whatever still runs after 10 s. */
  stop(): Promise<void>;
}

export const HIVE_CONFIG_PATH = join(REPO_ROOT, "bench", "hive", "gateway.config.mjs");

// The CLI reads these as options: none of them may switch on usage reporting, tracing, a schema CDN or
// a managed supergraph (anything that calls out), or override the port, workers or config given here.
const HIVE_OPTION_ENV = [
  "FORK", "CONFIG_PATH", "HOST", "PORT", "POLLING", "JIT", "HIVE_ROUTER_RUNTIME", "RENDER_LEGACY_GRAPHIQL",
  "OPENTELEMETRY", "OPENTELEMETRY_EXPORTER_TYPE", "OTEL_EXPORTER_OTLP_ENDPOINT",
  "HIVE_REGISTRY_TOKEN", "HIVE_USAGE_TARGET", "HIVE_TARGET", "HIVE_ACCESS_TOKEN", "HIVE_USAGE_ACCESS_TOKEN",
  "HIVE_TRACE_ACCESS_TOKEN", "HIVE_TRACE_ENDPOINT", "HIVE_CDN_ENDPOINT", "HIVE_CDN_KEY",
  "APOLLO_KEY", "APOLLO_GRAPH_REF", "APOLLO_SCHEMA_CONFIG_DELIVERY_ENDPOINT", "DEV_REMOTE", "DEV_REGISTRY",
];

/** The package's own bin script, run with this Node: never `npx`, which could download something else. */
function hiveBin(): string {
  const manifestPath = require.resolve("@graphql-hive/gateway/package.json");
  const { bin } = JSON.parse(readFileSync(manifestPath, "utf8")) as { bin: Record<string, string> };
  return join(dirname(manifestPath), bin["hive-gateway"]);
}

/**
 * Whether @graphql-hive/router-runtime resolves from the Hive config's folder (as its `import` there
 * will): a devDependency beside @graphql-hive/gateway. When it does not, the bench skips that pairing
 * and says so rather than failing.
 */
export function routerRuntimeInstalled(): boolean {
  try {
    createRequire(HIVE_CONFIG_PATH).resolve("@graphql-hive/router-runtime");
    return true;
  } catch {
    return false;
  }
}

export async function startHiveGateway({ port, workers, supergraphPath, env, httpCache = false, routerRuntime = false }: HiveGatewayOptions): Promise<HiveGateway> {
  const childEnv: NodeJS.ProcessEnv = { ...env, LOG_LEVEL: "warn" }; // also quiets what Hive logs before it reads the config
  for (const name of HIVE_OPTION_ENV) delete childEnv[name];
  // Read by gateway.config.mjs.
  childEnv.BENCH_HIVE_HTTP_CACHE = httpCache ? "1" : "0";
  childEnv.BENCH_HIVE_ROUTER_RUNTIME = routerRuntime ? "1" : "0";
  const args = ["supergraph", supergraphPath, "--config-path", HIVE_CONFIG_PATH, "--host", "127.0.0.1", "--port", String(port), "--fork", String(workers)];
  const child = spawn(process.execPath, [hiveBin(), ...args], { cwd: REPO_ROOT, env: childEnv, stdio: ["ignore", "inherit", "inherit"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const pid = child.pid!;
  const pids = () => (isRunning(child) ? processTree(pid) : []);
  const stop = async () => {
    const all = pids();
    if (!all.length) return;
    child.kill("SIGTERM"); // the main process passes it on to its workers
    const deadline = Date.now() + 10_000;
    while (all.some(isAlive) && Date.now() < deadline) await sleep(100);
    for (const p of all.filter(isAlive)) kill(p, "SIGKILL");
    await exited;
  };
  const url = `http://127.0.0.1:${port}/graphql`;
  try {
    await waitUntilServing(url, child, workers);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, pids, stop };
}

/**
 * Ready when every worker exists and `{ __typename }` is answered on several fresh connections in a
 * row (the main process hands connections to the workers in turn, so most of them are seen answering).
 */
async function waitUntilServing(url: string, child: ChildProcess, workers: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let answered = 0;
  while (answered < 2 * workers) {
    if (!isRunning(child)) throw new Error(`hive-gateway exited with code ${child.exitCode} (signal ${child.signalCode}) while starting`);
    if (Date.now() > deadline) throw new Error(`hive-gateway did not answer at ${url} within ${timeoutMs / 1000} s`);
    const ok = (workers <= 1 || processTree(child.pid!).length > workers) && (await answersTypename(url));
    answered = ok ? answered + 1 : 0;
    if (!ok) await sleep(200);
  }
}

function answersTypename(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    // agent: false, a connection of its own each time, so successive polls can reach different workers.
    const req = request(url, { method: "POST", agent: false, timeout: 2_000, headers: { "content-type": "application/json" } }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve(res.statusCode === 200 && body.includes('"__typename":"Query"')));
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(false));
    req.end(JSON.stringify({ query: "{ __typename }" }));
  });
}

const isRunning = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

/** Running, not a zombie (an orphaned worker may never be reaped in a container). */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat[stat.lastIndexOf(")") + 2] !== "Z";
  } catch {
    return false;
  }
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function kill(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}
