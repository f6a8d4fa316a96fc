import { classifyResponse } from "../../bench/load";

/**
 * Shed means the gateway's own admission control refused the request before any work (HTTP 503,
 * Retry-After, code OVERLOADED: shared/src/overload.ts). The gateway answers UPSTREAM_UNAVAILABLE with
 * HTTP 503 and Retry-After too (gateway/src/upstream-status.ts: a subgraph down, timed out, its breaker
 * open, its pool full): that is a failure of a service, and Hive answers the same fault with HTTP 200
 * and errors, which the bench counts as a failure. Counted as shed, our failures left the failure
 * counts (and the "no failures" of the purchase targets) while Hive's stayed in.
 */
describe("bench load: what counts as shed", () => {
  const overloaded = '{"errors":[{"message":"The service is at capacity","extensions":{"code":"OVERLOADED","retryAfter":1}}]}';
  const unavailable = '{"errors":[{"message":"The ledger service is unavailable; try again shortly","extensions":{"code":"UPSTREAM_UNAVAILABLE"}}],"data":{"recordPurchase":null}}';

  it("counts the gateway's own refusal (503, Retry-After, every error OVERLOADED) as shed", () => {
    expect(classifyResponse(503, { "retry-after": "1" }, overloaded)).toBe("shed");
    expect(classifyResponse(503, { "Retry-After": "1" }, overloaded)).toBe("shed");
  });

  it("counts a 503 with Retry-After for UPSTREAM_UNAVAILABLE (a service failed) as a failure, not shed", () => {
    expect(classifyResponse(503, { "retry-after": "1" }, unavailable)).toBe("failed");
    // The headline's answer when the members service timed out: { member: null }, 503.
    expect(classifyResponse(503, { "retry-after": "1" }, '{"errors":[{"message":"x","extensions":{"code":"UPSTREAM_UNAVAILABLE"}}],"data":{"member":null}}')).toBe("failed");
    // One OVERLOADED among other errors is not a refusal before any work.
    expect(classifyResponse(503, { "retry-after": "1" }, '{"errors":[{"extensions":{"code":"OVERLOADED"}},{"extensions":{"code":"UPSTREAM_UNAVAILABLE"}}]}')).toBe("failed");
  });

  it("counts a 503 with Retry-After whose body says nothing (a proxy's, or not JSON) as a failure", () => {
    expect(classifyResponse(503, { "retry-after": "1" }, "")).toBe("failed");
    expect(classifyResponse(503, { "retry-after": "1" }, "<html>Service Unavailable</html>")).toBe("failed");
    expect(classifyResponse(503, { "retry-after": "1" }, '{"errors":[]}')).toBe("failed");
  });

  it("counts OVERLOADED without the 503 or without Retry-After as a failure (Hive passing a subgraph's refusal on as HTTP 200)", () => {
    expect(classifyResponse(200, {}, '{"data":{"member":null},"errors":[{"extensions":{"code":"OVERLOADED"}}]}')).toBe("failed");
    expect(classifyResponse(503, {}, overloaded)).toBe("failed");
  });
});
