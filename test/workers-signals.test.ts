import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { REPO_ROOT } from "../shared/src/config";
import { forkService, freePort } from "../tools/stack/services";
import { processTree } from "../bench/processes";

const secret = () => randomBytes(32).toString("base64");

/**
 * README, Observability, Shutdown: on SIGTERM, SIGINT or SIGHUP a service finishes its requests and
 * exits 0. With WORKERS > 1 the signal reaches the cluster primary: SIGHUP's default action killed it,
 * and its workers, their IPC channel gone, exited at once, requests in flight or not.
 */
describe("a clustered service (WORKERS=2) stopped by a signal", () => {
  it.each(["SIGHUP", "SIGTERM"] as const)("stops its workers and exits 0 on %s", async (signal) => {
    const output = new PassThrough().resume();
    const entry = join(REPO_ROOT, "dist", "gateway", "src", "main.js");
    const env = { ...process.env, NODE_ENV: "test", WORKERS: "2", GATEWAY_PORT: String(await freePort()), GATEWAY_SECRET: secret(), SERVICE_SECRET: secret(), JWT_SECRET: secret() };
    const { child } = await forkService("gateway", entry, env, output);
    const workers = processTree(child.pid!).slice(1);
    expect(workers).toHaveLength(2);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
    child.kill(signal);
    expect(await exited).toEqual({ code: 0, signal: null });
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    expect(workers.filter(alive)).toEqual([]);
  });
});
