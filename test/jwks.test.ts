import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { SignJWT, exportJWK, generateKeyPair } from "jose";
import { SUBGRAPH_NAMES, withDatabase } from "../shared/src/config";
import { dropDatabase } from "../shared/src/database";
import { bearer, postGraphQL } from "../shared/src/stack/graphql-client";
import { type Stack, startStack } from "../shared/src/stack/services";

/** Production tokens: RS256/ES256 verified against an identity provider's JWKS (served here on loopback). */
describe("tokens from a JWKS (RS256 and ES256)", () => {
  const suffix = `_jwks_${process.pid}`;
  let stack: Stack;
  let jwksServer: Server;
  const keys: Record<string, Awaited<ReturnType<typeof generateKeyPair>>> = {};

  beforeAll(async () => {
    keys.RS256 = await generateKeyPair("RS256");
    keys.ES256 = await generateKeyPair("ES256");
    const jwks = { keys: await Promise.all(Object.entries(keys).map(async ([alg, pair]) => ({ ...(await exportJWK(pair.publicKey)), alg, kid: alg, use: "sig" }))) };
    jwksServer = createServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(jwks)));
    await new Promise<void>((resolve) => jwksServer.listen(0, "127.0.0.1", resolve));
    const { port } = jwksServer.address() as AddressInfo;
    stack = await startStack({
      env: {
        ...process.env,
        DATABASE_URL: process.env.TEST_DATABASE_URL,
        DATABASE_NAME_SUFFIX: suffix,
        LOG_LEVEL: "warn",
        JWT_SECRET: "",
        JWT_JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json`,
        JWT_ISSUER: "https://id.example.test",
      },
      freePorts: true,
      logFile: process.env.TEST_SERVICES_LOG,
    });
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    await new Promise((resolve) => jwksServer?.close(resolve));
    for (const name of SUBGRAPH_NAMES) await dropDatabase(withDatabase(process.env.TEST_DATABASE_URL!, `coalition_${name}${suffix}`));
  });

  const token = (alg: "RS256" | "ES256", claims: Record<string, unknown>, issuer = "https://id.example.test") =>
    new SignJWT(claims).setProtectedHeader({ alg, kid: alg }).setIssuer(issuer).setSubject("ops@example.test").setExpirationTime("5m").sign(keys[alg].privateKey);

  it.each(["RS256", "ES256"] as const)("accepts an admin token signed with %s", async (alg) => {
    const result = await postGraphQL(stack.gatewayUrl, `{ members(first: 1) { id } }`, {}, bearer(await token(alg, { role: "admin" })));
    expect(result.errors).toBeUndefined();
  });

  it("refuses a token from another issuer, an HS256 token, and a token signed with an unknown key", async () => {
    const stranger = await generateKeyPair("RS256");
    const forged = await new SignJWT({ role: "admin" }).setProtectedHeader({ alg: "RS256", kid: "RS256" }).setIssuer("https://id.example.test").setSubject("x").setExpirationTime("5m").sign(stranger.privateKey);
    for (const candidate of [await token("RS256", { role: "admin" }, "https://evil.example"), forged, "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4Iiwicm9sZSI6ImFkbWluIn0.x"]) {
      const result = await postGraphQL(stack.gatewayUrl, `{ members(first: 1) { id } }`, {}, bearer(candidate));
      expect(result.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    }
  });
});
