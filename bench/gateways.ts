import { join } from "node:path";
import { REPO_ROOT } from "../shared/src/config";
import { forkService, freePort, stopChild } from "../tools/stack/services";
import type { Stack } from "../tools/stack/services";
import { routerRuntimeInstalled, startHiveGateway } from "./hive/start-hive";
import { type GatewayUnderTest, processTree, startInProcessGateway } from "./processes";

/**
 * Every gateway the headline is measured on, one entry each: the pairings of issue 20 (item 5). Each
 * runs with the same worker count over the same subgraphs, data and supergraph; `cache` says whether it
 * keeps the partners subgraph's public answers (from the same Cache-Control hints), which decides the
 * pairs the targets compare (report.ts).
 */
export type GatewayName = "coalition" | "coalition-no-cache" | "hive" | "hive-http-cache" | "hive-router" | "hive-router-http-cache" | "in-process";

export interface GatewayPairing {
  name: GatewayName;
  label: string;
  /** Ours, Hive Gateway, or the in-process baseline (no HTTP between gateway and subgraphs). */
  family: "coalition" | "hive" | "baseline";
  /** Keeps public entities / subgraph answers between requests. */
  cache: boolean;
  /** Why this pairing cannot run here (it is then reported as skipped), or null. */
  unavailable(): string | null;
  start(context: { stack: Stack; workers: number; output: NodeJS.WritableStream }): Promise<GatewayUnderTest>;
}

const ROUTER_RUNTIME_MISSING = "@graphql-hive/router-runtime is not installed (a devDependency: run `npm install`)";

const hive = (name: GatewayName, label: string, httpCache: boolean, routerRuntime: boolean): GatewayPairing => ({
  name,
  label,
  family: "hive",
  cache: httpCache,
  unavailable: () => (routerRuntime && !routerRuntimeInstalled() ? ROUTER_RUNTIME_MISSING : null),
  start: async ({ stack, workers }) => {
    const started = await startHiveGateway({ port: await freePort(), workers, supergraphPath: join(REPO_ROOT, "gateway", "supergraph.graphql"), env: stack.env, httpCache, routerRuntime });
    return { name, ...started };
  },
});

export const GATEWAY_PAIRINGS: GatewayPairing[] = [
  {
    name: "coalition",
    label: "Coalition gateway, default (entity cache on)",
    family: "coalition",
    cache: true,
    unavailable: () => null,
    // The stack's own gateway.
    start: async ({ stack }) => ({ name: "coalition", url: stack.gatewayUrl, pids: () => processTree(stack.services.gateway.child.pid!), stop: async () => {} }),
  },
  {
    name: "coalition-no-cache",
    label: "Coalition gateway, entity cache off",
    family: "coalition",
    cache: false,
    unavailable: () => null,
    start: async ({ stack, output }) => {
      const env = { ...stack.env, GATEWAY_PORT: String(await freePort()), DISABLE_ENTITY_CACHE: "1" };
      const service = await forkService("gateway-no-cache", join(REPO_ROOT, "dist", "gateway", "src", "main.js"), env, output);
      return { name: "coalition-no-cache", url: service.url, pids: () => processTree(service.child.pid!), stop: () => stopChild(service.child) };
    },
  },
  hive("hive", "Hive Gateway, as configured before (no cache)", false, false),
  hive("hive-http-cache", "Hive Gateway + HTTP cache (same hints)", true, false),
  hive("hive-router", "Hive Gateway + router runtime (Rust planner)", false, true),
  hive("hive-router-http-cache", "Hive Gateway + router runtime + HTTP cache", true, true),
  {
    name: "in-process",
    label: "In-process baseline (no HTTP)",
    family: "baseline",
    cache: true,
    unavailable: () => null,
    start: ({ stack, output }) => startInProcessGateway(stack.env, output),
  },
];

export const GATEWAY_LABELS = Object.fromEntries(GATEWAY_PAIRINGS.map((g) => [g.name, g.label])) as Record<GatewayName, string>;
