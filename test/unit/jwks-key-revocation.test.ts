import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { SignJWT, exportJWK, generateKeyPair } from "jose";
import { Identifier } from "../../gateway/src/identity";

/**
 * The identity provider's keys (gateway/src/provider-keys.ts). README (Who may see and do what): "a
 * signing key dropped from the JWKS stops its tokens within a minute" (jose's own set kept them 10
 * minutes, and the verified-token cache added a minute); and an outage of the provider neither signs
 * everyone out at once nor refuses a good token as if it were bad.
 */
describe("the identity provider's signing keys", () => {
  let server: Server;
  let url = "";
  let answer: { status: number; jwks: { keys: unknown[] } } = { status: 200, jwks: { keys: [] } };
  let fetches = 0;
  const realNow = Date.now;
  let offsetMs = 0;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      fetches++;
      res.writeHead(answer.status, { "content-type": "application/json" }).end(JSON.stringify(answer.jwks));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
    jest.spyOn(Date, "now").mockImplementation(() => realNow() + offsetMs);
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    offsetMs = 0;
    fetches = 0;
  });

  const keyPair = async (kid: string) => {
    const pair = await generateKeyPair("ES256");
    return { kid, pair, jwk: { ...(await exportJWK(pair.publicKey)), alg: "ES256", kid, use: "sig" } };
  };
  const tokenOf = (key: Awaited<ReturnType<typeof keyPair>>) =>
    new SignJWT({ role: "admin" }).setProtectedHeader({ alg: "ES256", kid: key.kid }).setSubject("ops").setIssuedAt().setExpirationTime("1h").sign(key.pair.privateKey);
  const outcome = (identifier: Identifier, token: string) =>
    identifier.identify({ authorization: `Bearer ${token}` }).then(
      () => "accepted",
      (error) => String(error.extensions?.code),
    );

  it("a key dropped from the JWKS stops its tokens within a minute", async () => {
    const k1 = await keyPair("k1");
    answer = { status: 200, jwks: { keys: [k1.jwk] } };
    const identifier = new Identifier({ jwksUrl: url, maxTtlSeconds: 86_400 });
    const token = await tokenOf(k1);
    expect(await outcome(identifier, token)).toBe("accepted");
    answer = { status: 200, jwks: { keys: [] } }; // dropped at the identity provider
    offsetMs = 29_000; // the keys and the verified token are still fresh
    expect(await outcome(identifier, token)).toBe("accepted");
    offsetMs = 61_000; // a minute (and a second) after the first fetch
    expect({ after: await outcome(identifier, token), fetches }).toEqual({ after: "UNAUTHENTICATED", fetches: 2 });
  });

  it("while the provider cannot be reached, the last keys serve for ten minutes more; with none, UPSTREAM_UNAVAILABLE, not a refused token", async () => {
    const k1 = await keyPair("k1");
    answer = { status: 200, jwks: { keys: [k1.jwk] } };
    const identifier = new Identifier({ jwksUrl: url, maxTtlSeconds: 86_400 });
    const token = await tokenOf(k1);
    expect(await outcome(identifier, token)).toBe("accepted");
    answer = { status: 503, jwks: { keys: [] } }; // the provider is down
    offsetMs = 31_000; // the verified token and the keys are stale: a fetch fails, the last keys serve
    expect(await outcome(identifier, token)).toBe("accepted");
    offsetMs = 30_000 + 10 * 60_000 + 1_000; // past the ten minutes
    expect(await outcome(identifier, token)).toBe("UPSTREAM_UNAVAILABLE");
    // A gateway that never had the keys: the token cannot be checked, which says nothing against it.
    const fresh = new Identifier({ jwksUrl: url, maxTtlSeconds: 86_400 });
    fetches = 0;
    expect(await outcome(fresh, token)).toBe("UPSTREAM_UNAVAILABLE");
    answer = { status: 200, jwks: { keys: [k1.jwk] } }; // back up
    // Within 5 s of the failed fetch no request waits on another one: still unavailable, nothing fetched.
    expect({ outcome: await outcome(fresh, token), fetches }).toEqual({ outcome: "UPSTREAM_UNAVAILABLE", fetches: 1 });
    offsetMs += 6_000;
    expect({ outcome: await outcome(fresh, token), fetches }).toEqual({ outcome: "accepted", fetches: 2 });
  });

  it("a token signed with a key the gateway has not seen fetches the keys again (a new signing key), not more than every 5 s", async () => {
    const [k1, k2] = [await keyPair("k1"), await keyPair("k2")];
    answer = { status: 200, jwks: { keys: [k1.jwk] } };
    const identifier = new Identifier({ jwksUrl: url, maxTtlSeconds: 86_400 });
    expect(await outcome(identifier, await tokenOf(k1))).toBe("accepted");
    answer = { status: 200, jwks: { keys: [k1.jwk, k2.jwk] } }; // the provider rotates in k2
    const second = await tokenOf(k2);
    offsetMs = 1_000; // within 5 s of the last fetch: not fetched again
    expect({ outcome: await outcome(identifier, second), fetches }).toEqual({ outcome: "UNAUTHENTICATED", fetches: 1 });
    offsetMs = 6_000;
    expect({ outcome: await outcome(identifier, second), fetches }).toEqual({ outcome: "accepted", fetches: 2 });
  });
});
