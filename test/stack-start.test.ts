import { createServer, connect } from "node:net";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { SUBGRAPHS, SUBGRAPH_NAMES, databaseName, withDatabase } from "../shared/src/config";
import { dropDatabase } from "../shared/src/database";
import { freePort, startStack } from "../tools/stack/services";

/**
 * `npm start` (tools/stack/start.ts) and the tests start the services with startStack: when one cannot
 * start, none is left running. Before, a members service refused its port left the partners service,
 * the catalog and the ledger listening, unowned, and the next start failed on their ports.
 */
const suffix = `${process.env.TEST_DATABASE_NAME_SUFFIX}_startfail`;
afterAll(async () => {
  for (const name of SUBGRAPH_NAMES) await dropDatabase(withDatabase(process.env.TEST_DATABASE_URL!, `${databaseName(name)}${suffix}`)).catch(() => undefined);
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
    await expect(startStack({ env, logFile: join(tmpdir(), `stack-start-${process.pid}.log`) })).rejects.toThrow("members exited with code 1 while starting");
    for (const [name, port] of Object.entries(ports)) expect([name, await listening(port)]).toEqual([name, false]);
  } finally {
    blocker.close();
  }
});
