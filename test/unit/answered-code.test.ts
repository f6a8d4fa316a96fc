import { ApolloServer, HeaderMap } from "@apollo/server";
import { answeredCode, appError, createErrorFormatter } from "../../shared/src/errors";
import type { Logger } from "../../shared/src/logger";
import { requestObserver } from "../../shared/src/request-observer";

/**
 * Issue 20: a database that is away is UPSTREAM_UNAVAILABLE to the client, and so it must be in what
 * records the failure from the raw error: the request's log line and the audit trail's FAILED line
 * (both said INTERNAL_SERVER_ERROR, "a bug of ours", for every request of a database outage).
 */
const pgError = (code: string, message: string, severity = "ERROR") => Object.assign(new Error(message), { code, severity });
const failures: Record<string, () => Error> = {
  refused: () => Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }),
  shuttingDown: () => pgError("57P01", "terminating connection due to administrator command", "FATAL"),
  poolTimeout: () => new Error("timeout exceeded when trying to connect"),
  lockTimeout: () => Object.assign(new Error("Query failed"), { name: "QueryFailedError", driverError: pgError("55P03", "lock timeout") }),
  released: () => Object.assign(new Error("Database connection provided by a query runner was already released"), { name: "QueryRunnerAlreadyReleasedError" }),
  deadlock: () => Object.assign(new Error("Query failed"), { name: "QueryFailedError", driverError: pgError("40P01", "deadlock detected") }),
  serialization: () => Object.assign(new Error("Query failed"), { name: "QueryFailedError", driverError: pgError("40001", "could not serialize access") }),
  uniqueViolation: () => Object.assign(new Error("Query failed"), { name: "QueryFailedError", driverError: pgError("23505", "duplicate key") }),
  notFound: () => appError("NOT_FOUND", "No such member"),
  bug: () => new TypeError("x is undefined"),
};
const expected: Record<string, string> = {
  refused: "UPSTREAM_UNAVAILABLE",
  shuttingDown: "UPSTREAM_UNAVAILABLE",
  poolTimeout: "UPSTREAM_UNAVAILABLE",
  lockTimeout: "UPSTREAM_UNAVAILABLE",
  released: "UPSTREAM_UNAVAILABLE",
  deadlock: "UPSTREAM_UNAVAILABLE",
  serialization: "UPSTREAM_UNAVAILABLE",
  // A constraint our code did not expect is a bug, not an outage.
  uniqueViolation: "INTERNAL_SERVER_ERROR",
  notFound: "NOT_FOUND",
  bug: "INTERNAL_SERVER_ERROR",
};

describe("answeredCode: what the log line records is what the client was told", () => {
  const lines: { message: string; fields?: Record<string, any> }[] = [];
  const log = Object.fromEntries(["debug", "info", "warn", "error"].map((level) => [level, (message: string, fields?: Record<string, unknown>) => lines.push({ message, fields })])) as unknown as Logger;

  it.each(Object.keys(failures))("%s", async (name) => {
    lines.length = 0;
    const server = new ApolloServer({
      typeDefs: "type Query { ok: Int } type Mutation { recordPurchase(memberId: ID): Int }",
      resolvers: { Mutation: { recordPurchase: () => { throw failures[name](); } } },
      formatError: createErrorFormatter(log),
      plugins: [requestObserver(log)],
    });
    await server.start();
    let answer: any;
    try {
      const headers = new HeaderMap([["content-type", "application/json"], ["x-request-id", "req-1"]]);
      const response = await server.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: "POST", headers, search: "", body: { query: "mutation Earn { recordPurchase }" } },
        context: async () => ({ identity: { kind: "admin", subject: "auditor" } }),
      });
      answer = JSON.parse((response.body as { string: string }).string);
    } finally {
      await server.stop();
    }
    const told = answer.errors[0].extensions.code;
    expect(told).toBe(expected[name]);
    expect(lines.find((line) => line.message === "request")?.fields?.errors).toEqual([told]);
    // The audit trail's FAILED line takes its code from the same function (shared/src/audit/failed-writes.ts);
    // test/database-errors.test.ts checks it on real Postgres errors.
    expect(answeredCode(failures[name]())).toBe(told);
  });

  it("the log line lists each code once: a list of failed fields is one line with one code", async () => {
    lines.length = 0;
    const server = new ApolloServer({
      typeDefs: "type Query { members: [M!]! notFound: Int } type M { balance: Int }",
      resolvers: {
        Query: { members: () => [{}, {}, {}], notFound: () => { throw failures.notFound(); } },
        M: { balance: () => { throw failures.refused(); } },
      },
      formatError: createErrorFormatter(log),
      plugins: [requestObserver(log)],
    });
    await server.start();
    try {
      const headers = new HeaderMap([["content-type", "application/json"]]);
      const response = await server.executeHTTPGraphQLRequest({ httpGraphQLRequest: { method: "POST", headers, search: "", body: { query: "{ members { balance } notFound }" } }, context: async () => ({}) });
      expect(JSON.parse((response.body as { string: string }).string).errors).toHaveLength(4);
    } finally {
      await server.stop();
    }
    expect(lines.find((line) => line.message === "request")?.fields?.errors).toEqual(["UPSTREAM_UNAVAILABLE", "NOT_FOUND"]);
  });

  it("reads the code of a wrapped GraphQLError, and of a raw one", () => {
    expect(answeredCode(appError("UPSTREAM_UNAVAILABLE", "away"))).toBe("UPSTREAM_UNAVAILABLE");
    expect(answeredCode(failures.refused())).toBe("UPSTREAM_UNAVAILABLE");
    expect(answeredCode(failures.bug())).toBe("INTERNAL_SERVER_ERROR");
  });
});
