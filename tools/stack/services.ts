import { type ChildProcess, fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { GATEWAY_DEFAULT_PORT, REPO_ROOT, SUBGRAPH_NAMES, SUBGRAPHS, type SubgraphName } from "../../shared/src/config";
import type { Logger } from "../../shared/src/logger";

export type ServiceName = SubgraphName | "gateway";

export interface RunningService {
  name: ServiceName;
  url: string;
  child: ChildProcess;
}

export interface Stack {
  gatewayUrl: string;
  services: Record<ServiceName, RunningService>;
  /** The environment the services were started with (ports, URLs, database, secrets). */
  env: NodeJS.ProcessEnv;
  /** Secrets that were not set and were generated for this run. */
  generatedSecrets: string[];
  stop(): Promise<void>;
  /** Stops one service (if still running) and starts it again on its port, with extra environment. */
  restart(name: ServiceName, extraEnv?: NodeJS.ProcessEnv): Promise<void>;
}

export interface StackOptions {
  env: NodeJS.ProcessEnv;
  /** Pick free ports instead of the configured ones (tests). */
  freePorts?: boolean;
  /** Append the services' output to this file instead of this process's stdout. */
  logFile?: string;
  /** Or write it to this stream (npm start's filter, quiet-output.ts). */
  output?: NodeJS.WritableStream;
  /**
   * npm start: a service that exits on its own (a crash, an out-of-memory kill) is started again on its
   * port, after 1 s, then 2, 4… up to 30 s while it keeps failing, and this logger says so. Tests and
   * the bench leave it out: they stop and start services on purpose.
   */
  restartCrashed?: Logger;
}

/** Waits before the next start of a service that keeps exiting: 1 s, doubling, at most 30 s. */
export const restartDelayMs = (failuresInARow: number) => Math.min(30_000, 1_000 * 2 ** Math.max(0, failuresInARow - 1));
/** A service that ran this long after a restart counts as well again (its next crash waits 1 s). */
const HEALTHY_AFTER_MS = 60_000;

const entryOf = (name: ServiceName) =>
  join(REPO_ROOT, "dist", name === "gateway" ? "gateway" : join("subgraphs", name), "src", "main.js");

/** Starts the four subgraphs and the gateway, each in its own process, and waits until all are ready. */
export async function startStack({ env: baseEnv, freePorts = false, logFile, output: stream, restartCrashed }: StackOptions): Promise<Stack> {
  const env: NodeJS.ProcessEnv = { APOLLO_TELEMETRY_DISABLED: "1", ...baseEnv };
  // Development and tests: the services must share secrets; make them when none are given.
  const generatedSecrets = ["GATEWAY_SECRET", "SERVICE_SECRET", "JWT_SECRET"].filter((name) => !env[name]);
  for (const name of generatedSecrets) env[name] = randomBytes(32).toString("base64url");
  for (const name of SUBGRAPH_NAMES) {
    const { portEnv, urlEnv, defaultPort } = SUBGRAPHS[name];
    if (freePorts) env[portEnv] = String(await freePort());
    env[portEnv] ??= String(defaultPort);
    env[urlEnv] = `http://localhost:${env[portEnv]}/graphql`;
  }
  if (freePorts) env.GATEWAY_PORT = String(await freePort());
  env.GATEWAY_PORT ??= String(GATEWAY_DEFAULT_PORT);

  const fileOutput = logFile ? createWriteStream(logFile, { flags: "a" }) : null;
  // A stream the caller passes stays the caller's to end.
  const output = fileOutput ?? stream ?? null;
  const services = {} as Record<ServiceName, RunningService>;
  let stopping = false;
  const supervisor = restartCrashed ? new CrashRestarts(restartCrashed, services, (name) => startService(name, env, output), () => stopping) : null;
  const stop = async () => {
    stopping = true;
    await supervisor?.settle();
    // Gateway first, so no request reaches a subgraph that is already gone.
    for (const name of ["gateway", ...SUBGRAPH_NAMES] as ServiceName[]) if (services[name]) await stopChild(services[name].child);
    fileOutput?.end();
  };
  try {
    // The gateway starts with the subgraphs: it reads the supergraph from its file and calls no subgraph
    // until a request comes, and every start is mostly loading code (about 1.5 s of CPU each), so on a
    // small machine five at once are ready sooner than four and then one (a test stack on an idle 2-core
    // machine: 3.6 s, not 4.1).
    // Every service settles before anything is decided: with Promise.all, one failing (a port in use)
    // left the others running, unrecorded, so the stop below stopped none of them.
    const started = await Promise.allSettled((["gateway", ...SUBGRAPH_NAMES] as ServiceName[]).map((name) => startService(name, env, output)));
    for (const result of started) if (result.status === "fulfilled") services[result.value.name] = result.value;
    const failed = started.find((result): result is PromiseRejectedResult => result.status === "rejected");
    if (failed) throw failed.reason;
  } catch (error) {
    await stop();
    throw error;
  }
  if (supervisor) for (const name of Object.keys(services) as ServiceName[]) supervisor.watch(name);
  return {
    gatewayUrl: services.gateway.url,
    services,
    env,
    generatedSecrets,
    stop,
    restart: async (name, extraEnv = {}) => {
      supervisor?.expectExit(services[name].child);
      await stopChild(services[name].child);
      services[name] = await startService(name, { ...env, ...extraEnv }, output);
      supervisor?.watch(name);
    },
  };
}

/** npm start's supervision: starts again, with a growing delay, each service that exits unasked. */
class CrashRestarts {
  private readonly expected = new WeakSet<ChildProcess>();
  private readonly failures = new Map<ServiceName, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly starting = new Set<Promise<unknown>>();

  constructor(
    private readonly log: Logger,
    private readonly services: Record<ServiceName, RunningService>,
    private readonly start: (name: ServiceName) => Promise<RunningService>,
    private readonly stopping: () => boolean,
  ) {}

  /** A stop or restart asked for: this child's exit is no crash. */
  expectExit(child: ChildProcess): void {
    this.expected.add(child);
  }

  watch(name: ServiceName): void {
    const { child } = this.services[name];
    const startedAt = Date.now();
    child.once("exit", (code, signal) => {
      if (this.stopping() || this.expected.has(child) || this.services[name].child !== child) return;
      if (Date.now() - startedAt >= HEALTHY_AFTER_MS) this.failures.set(name, 0);
      this.scheduleStart(name, `${name} exited on its own (${signal ?? `code ${code}`})`);
    });
  }

  private scheduleStart(name: ServiceName, why: string): void {
    const failures = (this.failures.get(name) ?? 0) + 1;
    this.failures.set(name, failures);
    const delayMs = restartDelayMs(failures);
    this.log.error(`${why}; starting it again in ${delayMs / 1000} s`, { service: name, attempt: failures });
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.stopping()) return;
      const attempt = this.start(name).then(
        (service) => {
          if (this.stopping()) return stopChild(service.child); // stopped while it was starting: not left running
          this.services[name] = service;
          this.watch(name);
          this.log.info(`${name} is running again`, { service: name, url: service.url });
        },
        (error: Error) => this.scheduleStart(name, `${name} did not start again: ${error.message}`),
      );
      this.starting.add(attempt);
      void attempt.finally(() => this.starting.delete(attempt));
    }, delayMs);
    this.timers.add(timer);
  }

  /** For the stack's stop: no start is pending nor in flight afterwards. */
  async settle(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.starting]);
  }
}

const startService = (name: ServiceName, env: NodeJS.ProcessEnv, output: NodeJS.WritableStream | null) => forkService(name, entryOf(name), env, output);

/** Forks a service's entry and waits for its "ready" message (with its URL). */
export function forkService<Name extends string>(name: Name, entry: string, env: NodeJS.ProcessEnv, output: NodeJS.WritableStream | null): Promise<{ name: Name; url: string; child: ChildProcess }> {
  const child = fork(entry, [], { env, stdio: output ? ["ignore", "pipe", "pipe", "ipc"] : ["ignore", "inherit", "inherit", "ipc"] });
  child.stdout?.pipe(output!, { end: false });
  child.stderr?.pipe(output!, { end: false });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL"); // not left running, unowned
      reject(new Error(`${name} did not start within 60 s`));
    }, 60_000);
    child.on("message", (message: { type?: string; url?: string }) => {
      if (message?.type === "ready" && message.url) {
        clearTimeout(timer);
        resolve({ name, url: message.url, child });
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with code ${code} while starting`));
    });
  });
}

/** SIGTERM, then SIGKILL if the process has not stopped after 10 s. */
export function stopChild(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

/**
 * A port nothing listens on, chosen below the kernel's ephemeral range: a port from that range could
 * be taken by an outgoing connection (to Postgres, say) between this check and the service's listen.
 */
export async function freePort(): Promise<number> {
  const ephemeralStart = (() => {
    try {
      return Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]) || 32768;
    } catch {
      return 32768;
    }
  })();
  const low = 10_000;
  const high = Math.max(low + 1_000, Math.min(ephemeralStart, 32_768));
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = low + Math.floor(Math.random() * (high - low));
    if (handedOut.has(port)) continue;
    if (await canListen(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error("No free port found");
}

const handedOut = new Set<number>();

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once("error", () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}
