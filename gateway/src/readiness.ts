import type { Request, Response } from "express";
import { SUBGRAPH_NAMES, healthUrlOf, subgraphUrl } from "../../shared/src/config";

/** How long one readiness answer is reused: a load balancer polling every instance must not multiply into subgraph calls. */
const CACHE_MS = 1_000;
const PROBE_TIMEOUT_MS = 1_000;

/**
 * GET /ready: 200 when every subgraph's /health answers 200 within a second (its process is up and
 * its database answers), else 503 naming the ones that do not. GET /health stays liveness (the
 * gateway process itself answers): restarting a gateway does not bring a subgraph back, so an
 * orchestrator should stop sending traffic on /ready and restart only on /health.
 */
export function readinessHandler(subgraphs: { name: string; health: string }[] = SUBGRAPH_NAMES.map((name) => ({ name, health: healthUrlOf(subgraphUrl(name)) }))) {
  let cached: { at: number; down: Promise<string[]> } | undefined;
  const probe = async (): Promise<string[]> => {
    const results = await Promise.all(
      subgraphs.map(async ({ name, health }) => {
        try {
          const response = await fetch(health, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
          return response.ok ? null : name;
        } catch {
          return name;
        }
      }),
    );
    return results.filter((name): name is string => name !== null);
  };
  return async (_req: Request, res: Response) => {
    if (!cached || Date.now() - cached.at > CACHE_MS) cached = { at: Date.now(), down: probe() };
    const down = await cached.down;
    if (down.length) res.status(503).json({ status: "unavailable", unavailable: down });
    else res.json({ status: "ok" });
  };
}
