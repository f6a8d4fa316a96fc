import { createServer } from "node:net";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { REPO_ROOT } from "../shared/src/config";
import { postGraphQL } from "../tools/stack/graphql-client";
import { forkService, freePort } from "../tools/stack/services";
import { processTree } from "../bench/processes";
import { contractCall } from "./support/contract-client";
import { useDedicatedStack } from "./support/dedicated-stack";

/** WORKERS > 1: each service is a cluster primary and its workers, sharing the port. */
describe("worker processes", () => {
  const dedicated = useDedicatedStack("workers", { WORKERS: "2" });
  const partners = () => postGraphQL(dedicated.stack.gatewayUrl, `{ partners { id } }`, {}, dedicated.admin());
  /**
   * A client that follows the README (contractCall): a connection the dead worker held is reset, and one
   * the primary handed it as it died is never answered (node cluster's round-robin hand-off, see WORKERS
   * in the README), so each try has a timeout and one with no answer is tried again. Every answer it
   * does get is a success: a worker dying costs a client a retry at most, never an error.
   */
  const partnersAsAClient = async () => {
    const outcome = await contractCall(`{ partners { id } }`, {}, { url: dedicated.stack.gatewayUrl, headers: dedicated.admin(), deadlineMs: 20_000, attemptTimeoutMs: 5_000 });
    expect(outcome).toMatchObject({ resolved: true, codes: [] });
    for (const attempt of outcome.attempts) expect(attempt.status === 0 || (attempt.status === 200 && !attempt.codes.length)).toBe(true);
  };

  it("serves from every worker, keeps serving when one dies, and replaces it", async () => {
    const gateway = dedicated.stack.services.gateway.child;
    const workers = () => processTree(gateway.pid!).slice(1);
    expect(workers()).toHaveLength(2);
    for (const service of Object.values(dedicated.stack.services)) expect(processTree(service.child.pid!).length).toBe(3);
    for (let i = 0; i < 10; i++) expect((await partners()).errors).toBeUndefined();

    const [victim] = workers();
    process.kill(victim, "SIGKILL");
    // Clients on new connections at once, while the primary may not yet know the worker is gone.
    await Promise.all(Array.from({ length: 20 }, partnersAsAClient));
    for (let i = 0; i < 10; i++) await partnersAsAClient();
    for (const until = Date.now() + 15_000; workers().length < 2 && Date.now() < until; ) await new Promise((r) => setTimeout(r, 100));
    expect(workers()).toHaveLength(2);
    expect(workers()).not.toContain(victim);
  });

  it("fails to start, as one process would, when its workers cannot listen", async () => {
    const taken = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => taken.listen(port, resolve));
    try {
      const entry = join(REPO_ROOT, "dist", "gateway", "src", "main.js");
      const quiet = new PassThrough().resume();
      const starting = forkService("gateway", entry, { ...dedicated.stack.env, GATEWAY_PORT: String(port), WORKERS: "2" }, quiet);
      await expect(starting).rejects.toThrow(/exited with code 1 while starting/);
    } finally {
      taken.close();
    }
  });
});
