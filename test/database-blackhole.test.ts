import { type Server, type Socket, createServer, connect } from "node:net";
import type { AddressInfo } from "node:net";
import { withDatabase } from "../shared/src/config";
import { createDataSource } from "../shared/src/database";
import { answeredCode } from "../shared/src/errors";
import { createLogger } from "../shared/src/logger";

/**
 * A database that stops answering without closing its connections (its host frozen, a network
 * partition, a failover that leaves the old sockets dangling). README: "No request can hang a service.
 * Every wait has an end"; a statement ends after DB_STATEMENT_TIMEOUT_MS, which the *server* enforces,
 * so a server that does not answer never ends it. Once the database answers again (new connections
 * work), the service must recover on its own, without a restart.
 */
const log = createLogger("probe");
const quiet = { ...log, warn() {}, error() {}, info() {}, debug() {} };

/** A TCP proxy to Postgres that can go silent: it keeps every client socket open and drops what it sends. */
function silentProxy(target: { host: string; port: number }) {
  let silent = false;
  const pairs: { client: Socket; upstream: Socket }[] = [];
  const server: Server = createServer((client) => {
    if (silent) {
      client.on("data", () => undefined);
      client.on("error", () => undefined);
      return;
    }
    const upstream = connect(target.port, target.host);
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
    client.on("data", (chunk) => void (silent ? undefined : upstream.write(chunk)));
    upstream.on("data", (chunk) => void (silent ? undefined : client.write(chunk)));
    client.on("close", () => upstream.destroy());
    pairs.push({ client, upstream });
  });
  return {
    listen: () => new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port))),
    /** The database host vanishes: the old connections stay open on our side and nothing ever comes back. */
    goSilent() {
      silent = true;
      for (const { upstream } of pairs) upstream.destroy();
    },
    /** A database answers again at the same address (new connections work; the old ones stay dead). */
    answerAgain() {
      silent = false;
    },
    close() {
      for (const { client } of pairs) client.destroy();
      server.close();
    },
  };
}

const within = <T>(promise: Promise<T>, ms: number): Promise<{ settled: true; value?: T; error?: unknown } | { settled: false }> =>
  Promise.race([
    promise.then(
      (value) => ({ settled: true as const, value }),
      (error) => ({ settled: true as const, error }),
    ),
    new Promise<{ settled: false }>((resolve) => setTimeout(() => resolve({ settled: false }), ms)),
  ]);

describe("a database that stops answering (outside review)", () => {
  it("a query ends (UPSTREAM_UNAVAILABLE) and the pool recovers by itself once the database answers again", async () => {
    const url = new URL(withDatabase(process.env.TEST_DATABASE_URL!, "postgres"));
    const proxy = silentProxy({ host: url.hostname === "localhost" ? "127.0.0.1" : url.hostname, port: Number(url.port || 5432) });
    url.hostname = "127.0.0.1";
    url.port = String(await proxy.listen());
    const source = createDataSource({
      url: url.toString(),
      entities: [],
      migrations: [],
      log: quiet,
      poolSize: 2,
      timeouts: { connect: 1_000, statement: 1_000, lock: 1_000, idleInTransaction: 5_000 },
    });
    await source.initialize();
    try {
      await Promise.all([source.query("SELECT pg_sleep(0.05)"), source.query("SELECT pg_sleep(0.05)")]); // both pooled connections open
      proxy.goSilent();
      // Every wait has an end: the statement limit is 1 s, the connect limit 1 s.
      const during = await within(source.query("SELECT 1"), 6_000);
      expect(during).toMatchObject({ settled: true });
      expect(answeredCode((during as { error?: unknown }).error)).toBe("UPSTREAM_UNAVAILABLE");

      proxy.answerAgain();
      // Recovery needs no restart: within a few seconds a query goes through again.
      let recovered = false;
      const deadline = Date.now() + 10_000;
      while (!recovered && Date.now() < deadline) {
        const attempt = await within(source.query("SELECT 1 AS one"), 3_000);
        recovered = attempt.settled && !("error" in attempt && attempt.error);
        if (!recovered) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(recovered).toBe(true);
    } finally {
      proxy.close();
      await within(source.destroy(), 2_000);
    }
  }, 30_000);
});
