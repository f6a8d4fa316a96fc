import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../shared/src/config";
import { forkService, freePort, stopChild } from "../tools/stack/services";

/** A gateway under test: where to send requests, which processes to weigh, how to stop it. */
export interface GatewayUnderTest {
  name: string;
  url: string;
  pids(): number[];
  stop(): Promise<void>;
}

/** The in-process baseline (bench/in-process), with the stack's environment and its own port. */
export async function startInProcessGateway(env: NodeJS.ProcessEnv, output: NodeJS.WritableStream): Promise<GatewayUnderTest> {
  const entry = join(REPO_ROOT, "dist", "bench", "in-process", "main.js");
  const service = await forkService("in-process", entry, { ...env, GATEWAY_PORT: String(await freePort()) }, output);
  return {
    name: "in-process",
    url: service.url,
    pids: () => processTree(service.child.pid!),
    stop: () => stopChild(service.child),
  };
}

/** A process and its descendants (a cluster primary and its workers). */
export function processTree(pid: number): number[] {
  const pids = [pid];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim();
      for (const child of children ? children.split(/\s+/).map(Number) : []) pids.push(...processTree(child));
    }
  } catch {
    // The process has exited.
  }
  return pids;
}

/**
 * Peak resident memory of a group of processes, in MiB: the sum of each one's own peak (VmHWM), so an
 * upper bound when the processes peaked at different moments.
 */
export function peakRssMiB(pids: number[]): number {
  let kib = 0;
  for (const pid of pids) {
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      kib += match ? Number(match[1]) : 0;
    } catch {
      // The process has exited.
    }
  }
  return Math.round(kib / 1024);
}
