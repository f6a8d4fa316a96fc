import { signToken } from "../shared/src/auth/jwt";
import { bearer } from "../tools/stack/graphql-client";
import { gql } from "./support/gateway";

/**
 * A token must not live longer than JWT_MAX_TTL_SECONDS (a day by default; a stolen token works for
 * its whole life) nor be valid only later (`nbf`) or issued in the future (`iat`), beyond a minute of
 * clock skew. HS256 here; tokens from a JWKS in test/jwks.test.ts.
 */
describe("token lifetimes (HS256)", () => {
  const now = () => Math.floor(Date.now() / 1000);
  const HOUR = 3600;
  const admin = (claims: Record<string, number | undefined>, ttlSeconds?: number) =>
    bearer(signToken({ sub: "test-admin", role: "admin", ...claims }, process.env.TEST_JWT_SECRET!, ttlSeconds));
  const answer = async (caller: Record<string, string>) => {
    const result = await gql(`{ members(first: 1) { id } }`, {}, caller);
    return result.errors ? { code: result.errors[0].extensions?.code, message: result.errors[0].message } : "ok";
  };

  it("accepts a token of up to a day, and one whose nbf or iat is a few seconds ahead (clock skew)", async () => {
    expect(await answer(admin({}, 24 * HOUR))).toBe("ok");
    expect(await answer(admin({ nbf: now() + 20 }))).toBe("ok");
    expect(await answer(admin({ iat: now() + 20, exp: now() + HOUR }))).toBe("ok");
  });

  it.each([
    ["lives 25 hours", () => admin({}, 25 * HOUR), /lifetime is longer than the 86400 s allowed/],
    ["lives 30 days (what npm start used to print)", () => admin({}, 30 * 24 * HOUR), /lifetime is longer/],
    ["has no iat and expires in two days", () => admin({ iat: undefined, exp: now() + 48 * HOUR }), /lifetime is longer/],
    ["was issued years ago and expires in an hour", () => admin({ iat: now() - 3 * 365 * 24 * HOUR, exp: now() + HOUR }), /lifetime is longer/],
    ["is valid only from an hour from now (nbf)", () => admin({ nbf: now() + HOUR }), /not valid yet/],
    ["was issued an hour from now (iat)", () => admin({ iat: now() + HOUR, exp: now() + 2 * HOUR }), /issued in the future/],
  ])("refuses a token that %s", async (_case, token, message) => {
    const refused = await answer(token());
    expect(refused).toMatchObject({ code: "UNAUTHENTICATED" });
    expect((refused as { message: string }).message).toMatch(message);
  });

  it("refuses a token once it expires, though it was accepted (and its claims kept) a moment before", async () => {
    const token = admin({}, 2);
    expect(await answer(token)).toBe("ok");
    expect(await answer(token)).toBe("ok");
    const exp = now() + 2; // at most: signed just above
    while (Date.now() <= exp * 1000 + 100) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await answer(token)).toMatchObject({ code: "UNAUTHENTICATED", message: expect.stringMatching(/token expired/) });
  });
});
