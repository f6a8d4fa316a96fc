import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { GraphQLError } from "graphql";
import { setServiceIdentity } from "../../shared/src/auth/service-identity";
import { statusForAnswer } from "../../gateway/src/upstream-status";
import { SubgraphClient } from "../../shared/src/subgraph-client";

/**
 * Issue 20: a service that sheds a call from another service (HTTP 503, OVERLOADED, nothing done) is,
 * to the caller's client, a service away for now: UPSTREAM_UNAVAILABLE, so the gateway answers HTTP 503
 * with Retry-After. Passed on as OVERLOADED (a catalog redemption whose call to a shedding ledger was
 * refused), the client got HTTP 200 without Retry-After.
 */
describe("SubgraphClient: a call the other service shed", () => {
  let server: Server;
  let answer: { status: number; body: unknown };
  const previousUrl = process.env.LEDGER_URL;

  beforeAll(async () => {
    setServiceIdentity("catalog", "a-test-secret-of-enough-length-0123456789");
    server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        res.writeHead(answer.status, { "content-type": "application/json", "retry-after": "1" });
        res.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    process.env.LEDGER_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    process.env.LEDGER_URL = previousUrl;
    await new Promise((resolve) => server.close(resolve));
  });

  const failureOf = async () => {
    try {
      await new SubgraphClient("ledger", undefined, 2_000).request(`{ x }`);
    } catch (error) {
      return error as GraphQLError;
    }
    throw new Error("the call did not fail");
  };

  it("is UPSTREAM_UNAVAILABLE, which the gateway answers with HTTP 503", async () => {
    answer = { status: 503, body: { errors: [{ message: "The service is at capacity", extensions: { code: "OVERLOADED", retryAfter: 1 } }] } };
    const error = await failureOf();
    expect(error).toBeInstanceOf(GraphQLError);
    expect(error.extensions.code).toBe("UPSTREAM_UNAVAILABLE");
    expect(statusForAnswer({ redeemReward: null }, [{ message: error.message, extensions: error.extensions }])).toBe(503);
  });

  it("an error of the other service's own keeps its code (a business answer)", async () => {
    answer = { status: 200, body: { data: null, errors: [{ message: "Not enough points", extensions: { code: "INSUFFICIENT_POINTS" } }] } };
    expect((await failureOf()).extensions.code).toBe("INSUFFICIENT_POINTS");
  });
});
