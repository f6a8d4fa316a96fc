import { memoryRateLimiter } from "../../gateway/src/rate-limit";

/**
 * The in-memory counts (no REDIS_URL) are bounded: past 100,000 buckets a sweep frees room. A crowd of
 * new client addresses within one minute (an IPv6 /48 holds 65,536 /64 buckets) emptied every count,
 * members' and keys' included (outside review); now it drops address buckets first.
 */
describe("the in-memory rate limiter under a crowd of addresses", () => {
  // All within one minute's window, whatever the clock says when the test runs.
  beforeEach(() => jest.useFakeTimers({ now: new Date("2026-12-05T12:00:10Z") }));
  afterEach(() => jest.useRealTimers());

  it("keeps a member's count of this minute when 100,001 addresses arrive", async () => {
    const limiter = memoryRateLimiter(3);
    for (let i = 0; i < 3; i++) expect(await limiter.hit("member:m1")).toBeNull(); // 3 of 3 used
    for (let i = 0; i <= 100_000; i++) await limiter.hit(`addr:2001:db8:${i.toString(16)}::/64`, 300);
    expect(await limiter.hit("member:m1")).toEqual(expect.any(Number)); // the 4th: still refused
    expect(await limiter.hit("addr:2001:db8:0::/64", 300)).toBeNull(); // an address bucket was dropped: it counts anew
  });
});
