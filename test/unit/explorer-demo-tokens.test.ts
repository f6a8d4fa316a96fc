import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { request } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import express from "express";
import { networkInterfaces } from "node:os";
import { isLocalPageRequest, serveExplorer } from "../../gateway/src/explorer";
import { createLogger } from "../../shared/src/logger";

/** GET the demo tokens from `address` (the connection's peer is then this machine's address on that interface), naming `host`. */
function getTokens(address: string, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: address, port, path: "/explorer/demo-tokens.json", headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on("error", reject).end();
  });
}

/**
 * `npm start` offers an admin token on the explorer's page: to the developer's own browser only. The
 * gateway listens on every interface, so without a check anyone on the network could read it, and so
 * could any web page the developer opens, by DNS rebinding its own name to 127.0.0.1 (same origin then).
 */
describe("the explorer's demo tokens", () => {
  it("go to a loopback peer that asked for a loopback host, and to no one else", () => {
    expect(isLocalPageRequest("127.0.0.1", "localhost:4000")).toBe(true);
    expect(isLocalPageRequest("::1", "[::1]:4000")).toBe(true);
    expect(isLocalPageRequest("::ffff:127.0.0.1", "127.0.0.1:4000")).toBe(true);
    expect(isLocalPageRequest("127.0.0.1", "localhost")).toBe(true);
    expect(isLocalPageRequest("192.0.2.7", "localhost:4000")).toBe(false); // another machine
    expect(isLocalPageRequest("127.0.0.1", "rebound.attacker.example:4000")).toBe(false); // DNS rebinding
    expect(isLocalPageRequest("127.0.0.1", "localhost.attacker.example")).toBe(false);
    expect(isLocalPageRequest("127.0.0.1", undefined)).toBe(false);
    expect(isLocalPageRequest(undefined, "localhost")).toBe(false);
  });

  it("are served over HTTP to the developer's browser only", async () => {
    const dir = await mkdtemp(join(tmpdir(), "coalition-demo-tokens-"));
    const file = join(dir, "demo-tokens.json");
    await writeFile(file, JSON.stringify({ member: "m", admin: "a" }));
    const app = express();
    serveExplorer(app, { demoTokensFile: file, log: createLogger("test") });
    const server = app.listen(0);
    await new Promise((resolve) => server.once("listening", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      expect(await getTokens("127.0.0.1", port, `localhost:${port}`)).toBe(200);
      expect(await getTokens("127.0.0.1", port, `rebound.attacker.example:${port}`)).toBe(404);
      const lan = Object.values(networkInterfaces()).flat().find((i) => i && i.family === "IPv4" && !i.internal);
      if (lan) expect(await getTokens(lan.address, port, `localhost:${port}`)).toBe(404);
    } finally {
      server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
