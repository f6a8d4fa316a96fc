import { signToken } from "../../shared/src/auth/jwt";
import { Identifier } from "../../gateway/src/identity";

/**
 * The gateway keeps a verified token's claims for VERIFIED_TOKEN_MS (60 s) at most and never past its
 * `exp` (README, "Who may see and do what"). Seen from outside: once the signing key changes, a token
 * verified before still passes for the rest of its minute, then is verified again and refused. The
 * clock is Jest's; an admin token needs no call to any service.
 */
describe("verified tokens are kept for a minute at most", () => {
  const start = Date.parse("2026-12-01T12:00:00Z");
  beforeEach(() => jest.useFakeTimers({ now: start, doNotFake: ["nextTick", "setImmediate"] }));
  afterEach(() => jest.useRealTimers());

  const identify = (identifier: Identifier, token: string) => identifier.identify({ authorization: `Bearer ${token}` });

  it("keeps an accepted token until 60 s after it was verified, then verifies it again", async () => {
    const tokens = { secret: "first secret", maxTtlSeconds: 86_400 };
    const identifier = new Identifier(tokens);
    const token = signToken({ sub: "ops-1", role: "admin" }, "first secret", 3600);
    await expect(identify(identifier, token)).resolves.toEqual({ kind: "admin", subject: "ops-1" });

    // The key changes: the token no longer verifies, but its claims were verified at 12:00:00.
    tokens.secret = "second secret";
    jest.setSystemTime(start + 59_999);
    await expect(identify(identifier, token)).resolves.toEqual({ kind: "admin", subject: "ops-1" });
    jest.setSystemTime(start + 60_000);
    await expect(identify(identifier, token)).rejects.toMatchObject({ extensions: { code: "UNAUTHENTICATED" } });
  });

  it("never keeps a token past its exp, even inside the minute", async () => {
    const tokens = { secret: "first secret", maxTtlSeconds: 86_400 };
    const identifier = new Identifier(tokens);
    // exp at 12:00:30, 30 s after it is first verified: kept until then, not for the full minute.
    const token = signToken({ sub: "ops-2", role: "admin" }, "first secret", 30);
    await expect(identify(identifier, token)).resolves.toEqual({ kind: "admin", subject: "ops-2" });
    tokens.secret = "second secret";
    jest.setSystemTime(start + 29_999);
    await expect(identify(identifier, token)).resolves.toEqual({ kind: "admin", subject: "ops-2" });
    jest.setSystemTime(start + 30_000);
    await expect(identify(identifier, token)).rejects.toMatchObject({ extensions: { code: "UNAUTHENTICATED" } });
  });
});
