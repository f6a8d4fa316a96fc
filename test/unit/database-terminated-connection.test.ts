import { type AddressInfo, createServer, type Server, type Socket } from "node:net";
import { Pool } from "pg";
import { clientWithReadTimeout } from "../../shared/src/database";

/**
 * A connection Postgres terminates (pg_terminate_backend, a server shutting down: FATAL 57P01) just as
 * it is handed out: pg emits the error on the client, which pg-pool has stripped of its idle listener
 * and TypeORM has not yet given its own (that takes a promise turn). With no listener the 'error'
 * event was thrown and ended the whole service (seen: the catalog exited under a pg_terminate_backend
 * loop, and stayed down). Every service connection now has a listener of its own: the error ends that
 * connection, which the pool then discards, and the process lives.
 */
describe("a service connection terminated as it is handed out", () => {
  let server: Server;
  let port: number;
  const message = (type: string, body: Buffer) => {
    const header = Buffer.alloc(5);
    header.write(type, 0);
    header.writeInt32BE(body.length + 4, 1);
    return Buffer.concat([header, body]);
  };
  const field = (code: string, text: string) => Buffer.concat([Buffer.from(code), Buffer.from(text), Buffer.from([0])]);
  beforeAll(async () => {
    server = createServer((socket: Socket) => {
      socket.once("data", () => {
        // AuthenticationOk, ReadyForQuery, then at once the FATAL of a terminated backend: one write, one read.
        const ok = message("R", Buffer.from([0, 0, 0, 0]));
        const ready = message("Z", Buffer.from("I"));
        const fatal = message("E", Buffer.concat([field("S", "FATAL"), field("V", "FATAL"), field("C", "57P01"), field("M", "terminating connection due to administrator command"), Buffer.from([0])]));
        socket.write(Buffer.concat([ok, ready, fatal]));
        socket.end();
      });
      socket.on("error", () => {});
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("does not end the process; the connection is discarded and the next query fails as a lost connection", async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    const listeners = process.listeners("uncaughtException");
    process.removeAllListeners("uncaughtException");
    process.on("uncaughtException", onUncaught);
    const pool = new Pool({ host: "127.0.0.1", port, user: "x", database: "x", Client: clientWithReadTimeout(10_000), max: 1 });
    pool.on("error", () => {});
    try {
      // As TypeORM takes a connection: its own error listener comes a promise turn later.
      const client = await pool.connect();
      await new Promise((resolve) => setTimeout(resolve, 50));
      const failed = await client.query("SELECT 1").then(() => null, (error: Error) => error);
      client.release(failed ?? undefined);
      expect(uncaught).toEqual([]);
      expect(failed?.message).toMatch(/Connection terminated|Client has encountered a connection error|not queryable/);
    } finally {
      process.removeListener("uncaughtException", onUncaught);
      for (const listener of listeners) process.on("uncaughtException", listener);
      await pool.end().catch(() => {});
    }
  });
});
