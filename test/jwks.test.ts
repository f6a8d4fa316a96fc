import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { SignJWT, exportJWK, generateKeyPair } from "jose";
import { bearer, postGraphQL } from "../tools/stack/graphql-client";
import { useDedicatedStack } from "./support/dedicated-stack";

/** Production tokens: RS256/ES256 verified against an identity provider's JWKS (served here on loopback). */
describe("tokens from a JWKS (RS256 and ES256)", () => {
  let jwksServer: Server;
  let jwksUrl = "";
  const keys: Record<string, Awaited<ReturnType<typeof generateKeyPair>>> = {};

  // Registered before the stack's own beforeAll, so the JWKS is up when the gateway starts.
  beforeAll(async () => {
    keys.RS256 = await generateKeyPair("RS256");
    keys.ES256 = await generateKeyPair("ES256");
    const jwks = { keys: await Promise.all(Object.entries(keys).map(async ([alg, pair]) => ({ ...(await exportJWK(pair.publicKey)), alg, kid: alg, use: "sig" }))) };
    jwksServer = createServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(jwks)));
    await new Promise<void>((resolve) => jwksServer.listen(0, "127.0.0.1", resolve));
    jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`;
  });
  afterAll(() => new Promise((resolve) => jwksServer?.close(resolve)));

  const dedicated = useDedicatedStack("jwks", () => ({ JWT_JWKS_URL: jwksUrl, JWT_ISSUER: "https://id.example.test", JWT_AUDIENCE: "coalition-api" }));

  const token = (alg: "RS256" | "ES256", claims: Record<string, unknown>, issuer = "https://id.example.test", audience = "coalition-api") =>
    new SignJWT(claims).setProtectedHeader({ alg, kid: alg }).setIssuer(issuer).setAudience(audience).setSubject("ops@example.test").setExpirationTime("5m").sign(keys[alg].privateKey);

  it.each(["RS256", "ES256"] as const)("accepts an admin token signed with %s", async (alg) => {
    const result = await postGraphQL(dedicated.stack.gatewayUrl, `{ members(first: 1) { id } }`, {}, bearer(await token(alg, { role: "admin" })));
    expect(result.errors).toBeUndefined();
  });

  it("refuses a token from another issuer, one the same provider issued for another application, an HS256 token, and a token signed with an unknown key", async () => {
    const stranger = await generateKeyPair("RS256");
    const forged = await new SignJWT({ role: "admin" }).setProtectedHeader({ alg: "RS256", kid: "RS256" }).setIssuer("https://id.example.test").setSubject("x").setExpirationTime("5m").sign(stranger.privateKey);
    const forAnotherApp = await token("RS256", { role: "admin" }, "https://id.example.test", "the-provider's-other-app");
    for (const candidate of [await token("RS256", { role: "admin" }, "https://evil.example"), forAnotherApp, forged, "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4Iiwicm9sZSI6ImFkbWluIn0.x"]) {
      const result = await postGraphQL(dedicated.stack.gatewayUrl, `{ members(first: 1) { id } }`, {}, bearer(candidate));
      expect(result.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    }
  });

  it("refuses a token that lives longer than a day, or is valid only later (nbf), or was issued in the future (iat)", async () => {
    const now = Math.floor(Date.now() / 1000);
    const signed = (configure: (jwt: SignJWT) => SignJWT) =>
      configure(new SignJWT({ role: "admin" }).setProtectedHeader({ alg: "ES256", kid: "ES256" }).setIssuer("https://id.example.test").setAudience("coalition-api").setSubject("ops@example.test")).sign(keys.ES256.privateKey);
    const answer = async (token: string) => (await postGraphQL(dedicated.stack.gatewayUrl, `{ members(first: 1) { id } }`, {}, bearer(token))).errors?.[0];
    expect(await answer(await signed((jwt) => jwt.setIssuedAt(now).setExpirationTime(now + 86_400)))).toBeUndefined();
    for (const [configure, message] of [
      [(jwt: SignJWT) => jwt.setIssuedAt(now).setExpirationTime(now + 2 * 86_400), /lifetime is longer than the 86400 s allowed/],
      [(jwt: SignJWT) => jwt.setExpirationTime(now + 30 * 86_400), /lifetime is longer/],
      [(jwt: SignJWT) => jwt.setNotBefore(now + 3600).setExpirationTime(now + 7200), /nbf/],
      [(jwt: SignJWT) => jwt.setIssuedAt(now + 3600).setExpirationTime(now + 7200), /issued in the future/],
    ] as const) {
      const refused = await answer(await signed(configure));
      expect(refused?.extensions?.code).toBe("UNAUTHENTICATED");
      expect(refused?.message).toMatch(message);
    }
  });
});
