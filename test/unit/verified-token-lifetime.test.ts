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

  /**
   * A token signed for `ttlSeconds` is accepted at 12:00:00, then the signing secret changes: the
   * token must still pass 1 ms before `keptMs` (its claims kept) and be refused at `keptMs` (verified again).
   */
  async function expectKeptUntil(ttlSeconds: number, keptMs: number) {
    const tokens = { secret: "first secret", maxTtlSeconds: 86_400 };
    const identifier = new Identifier(tokens);
    const token = signToken({ sub: "ops-1", role: "admin" }, "first secret", ttlSeconds);
    const identify = () => identifier.identify({ authorization: `Bearer ${token}` });
    await expect(identify()).resolves.toEqual({ kind: "admin", subject: "ops-1" });
    tokens.secret = "second secret";
    jest.setSystemTime(start + keptMs - 1);
    await expect(identify()).resolves.toEqual({ kind: "admin", subject: "ops-1" });
    jest.setSystemTime(start + keptMs);
    await expect(identify()).rejects.toMatchObject({ extensions: { code: "UNAUTHENTICATED" } });
  }

  it("keeps an accepted token until 60 s after it was verified, then verifies it again", () => expectKeptUntil(3600, 60_000));

  // exp at 12:00:30, 30 s after it is first verified: kept until then, not for the full minute.
  it("never keeps a token past its exp, even inside the minute", () => expectKeptUntil(30, 30_000));
});
