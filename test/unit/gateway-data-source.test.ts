import type { Fetcher, FetcherRequestInit } from "@apollo/utils.fetcher";
import { GraphQLError } from "graphql";
import { cacheHintOf, publicMaxAge } from "../../gateway/src/cache-control";
import { SignedDataSource } from "../../gateway/src/gateway";
import { ResponseHeaders } from "../../gateway/src/subgraph-fetcher";
import { PROOF_HEADER, verifyProof } from "../../shared/src/auth/proof";
import { createLogger } from "../../shared/src/logger";
import { REQUEST_ID_HEADER } from "../../shared/src/request-id";

/**
 * The gateway's calls to a subgraph (SignedDataSource): what is sent, and what a client gets back for
 * each kind of answer, against a fetcher that records the call and answers as told.
 */
describe("SignedDataSource", () => {
  const secret = "s".repeat(32);
  const log = createLogger("test");
  const sent: { url: string; init: FetcherRequestInit }[] = [];
  const answering =
    (status: number, body: string, headers: Record<string, string> = { "content-type": "application/json" }): Fetcher =>
    async (url, init = {}) => {
      sent.push({ url, init });
      const ok = status >= 200 && status < 300;
      return { url, status, ok, statusText: String(status), bodyUsed: false, redirected: false, headers: new ResponseHeaders(Object.entries(headers)), text: async () => body, json: async () => JSON.parse(body), arrayBuffer: async () => new ArrayBuffer(0), clone: () => { throw new Error("unused"); } };
    };
  const restricted: unknown[] = [];
  const operation = (requestId?: string) =>
    ({
      kind: "incoming operation",
      request: { query: "query { x }", variables: { a: 1 }, operationName: "Q" },
      context: { identity: { kind: "member", memberId: "m-1" } },
      incomingRequestContext: { request: { http: { headers: new ResponseHeaders(requestId ? [[REQUEST_ID_HEADER, requestId]] : []) } }, overallCachePolicy: { restrict: (hint: unknown) => restricted.push(hint) } },
    }) as never;
  // A refusal is thrown (a request error); an outage is answered as the errors of the call's fields.
  const codeOf = async (promise: Promise<{ errors?: readonly { extensions?: Record<string, unknown> }[] }>) => {
    const error = await promise.then((answer) => answer, (e: unknown) => e);
    if (error instanceof GraphQLError) return error.extensions.code;
    const codes = (error as { errors: { extensions: { code: string } }[] }).errors.map((e) => e.extensions.code);
    expect(new Set(codes).size).toBe(1);
    return codes[0];
  };

  beforeEach(() => {
    sent.length = 0;
    restricted.length = 0;
  });

  it("posts the call as JSON, signed for the caller, with the client request's id", async () => {
    const source = new SignedDataSource("ledger", "http://ledger/graphql", secret, answering(200, `{"data":{"x":1}}`, { "content-type": "application/json", "cache-control": "private" }), log);
    const answer = await source.process(operation("req-7"));
    expect(answer.data).toEqual({ x: 1 });
    expect(answer.http?.headers.get("Cache-Control")).toBe("private");
    expect(sent).toHaveLength(1);
    expect(sent[0].url).toBe("http://ledger/graphql");
    expect(sent[0].init.method).toBe("POST");
    expect(JSON.parse(String(sent[0].init.body))).toEqual({ query: "query { x }", variables: { a: 1 }, operationName: "Q" });
    const headers = sent[0].init.headers!;
    expect(headers["content-type"]).toBe("application/json");
    expect(headers[REQUEST_ID_HEADER]).toBe("req-7");
    expect(verifyProof(headers[PROOF_HEADER], { gateway: secret, service: "t".repeat(32) }, "ledger")).toEqual({ identity: { kind: "member", memberId: "m-1" }, signer: "gateway" });
    // Made for the ledger only: another subgraph refuses it.
    expect(verifyProof(headers[PROOF_HEADER], { gateway: secret, service: "t".repeat(32) }, "members")).toBeNull();
    // The subgraph's Cache-Control restricts the client's answer, as @apollo/gateway's data source does.
    expect(restricted).toEqual([{ maxAge: 0, scope: "PRIVATE" }]);
  });

  it("a subgraph the project does not know gets no proof", async () => {
    await new SignedDataSource("other", "http://other/graphql", null, answering(200, `{"data":{}}`), log).process(operation());
    expect(sent[0].init.headers![PROOF_HEADER]).toBeUndefined();
    expect(sent[0].init.headers![REQUEST_ID_HEADER]).toBeUndefined();
  });

  it("answers the codes of subgraph-errors.ts: refused input, a dead subgraph, a body that is not JSON", async () => {
    const call = (fetcher: Fetcher) => new SignedDataSource("catalog", "http://catalog/graphql", secret, fetcher, log).process(operation());
    expect(await codeOf(call(answering(400, `{"errors":[{"message":"bad date","extensions":{"code":"BAD_USER_INPUT"}}]}`)))).toBe("BAD_USER_INPUT");
    expect(await codeOf(call(answering(503, `{"errors":[{"message":"busy"}]}`)))).toBe("UPSTREAM_UNAVAILABLE");
    expect(await codeOf(call(answering(502, `<html>bad gateway</html>`, { "content-type": "text/html" })))).toBe("UPSTREAM_UNAVAILABLE");
    expect(await codeOf(call(answering(401, `{}`)))).toBe("UNAUTHENTICATED");
    expect(await codeOf(call(answering(200, `{"data":`)))).toBe("UPSTREAM_UNAVAILABLE");
    expect(await codeOf(call(answering(200, `"just a string"`)))).toBe("UPSTREAM_UNAVAILABLE");
    expect(await codeOf(call(async () => { throw Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }); }))).toBe("UPSTREAM_UNAVAILABLE");
  });

  it("logs each failed call once, with the client request's id (README: Logs under an outage)", async () => {
    const lines: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
    const recording = {
      debug: () => undefined,
      info: () => undefined,
      warn: (message: string, fields?: Record<string, unknown>) => void lines.push({ level: "warn", message, fields }),
      error: (message: string, fields?: Record<string, unknown>) => void lines.push({ level: "error", message, fields }),
    };
    const refused: Fetcher = async () => { throw Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }); };
    await new SignedDataSource("ledger", "http://ledger/graphql", secret, refused, recording).process(operation("req-down"));
    await new SignedDataSource("ledger", "http://ledger/graphql", secret, answering(503, `{"errors":[{"message":"busy"}]}`), recording).process(operation("req-busy"));
    // A call its request's deadline has passed is not sent: its line too.
    const late = { ...(operation("req-late") as object), context: { identity: { kind: "member", memberId: "m-1" }, deadline: performance.now() - 1 } } as never;
    await new SignedDataSource("ledger", "http://ledger/graphql", secret, refused, recording).process(late);
    expect(lines.map((line) => [line.message, line.fields?.subgraph, line.fields?.requestId])).toEqual([
      ["subgraph unreachable", "ledger", "req-down"],
      ["subgraph answered an HTTP error", "ledger", "req-busy"],
      ["request deadline passed, subgraph not called", "ledger", "req-late"],
    ]);
  });

  it("an outage is answered, not thrown: the errors of the call's fields, each at its path; a refusal is thrown", async () => {
    const refused: Fetcher = async () => { throw Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }); };
    const source = new SignedDataSource("ledger", "http://ledger/graphql", secret, refused, log);
    // No document given (the planner keeps none by default): the data source parses the query it sent.
    const query = `query Q($representations: [_Any!]!) { _entities(representations: $representations) { ... on Member { balance } } }`;
    const entities = { ...(operation() as object), request: { query, variables: { representations: [{ __typename: "Member", id: "m-1" }] } } } as never;
    expect(await source.process(entities)).toEqual({
      errors: [{ message: "The ledger service is unavailable; try again shortly", path: ["_entities", 0, "balance"], extensions: { code: "UPSTREAM_UNAVAILABLE" } }],
    });
    const forbidden = new SignedDataSource("ledger", "http://ledger/graphql", secret, answering(403, `{}`), log);
    await expect(forbidden.process(entities)).rejects.toThrow("You are not allowed to do this");
  });
});

describe("cacheHintOf (a subgraph's Cache-Control as a hint)", () => {
  it("reads max-age in whole seconds and the scope (private over public); anything else is max-age 0", () => {
    expect(cacheHintOf("public, max-age=60")).toEqual({ maxAge: 60, scope: "PUBLIC" });
    expect(cacheHintOf("max-age=\"30\", private")).toEqual({ maxAge: 30, scope: "PRIVATE" });
    expect(cacheHintOf("max-age=1.5, public")).toEqual({ maxAge: 0, scope: "PUBLIC" });
    expect(cacheHintOf("no-store")).toEqual({ maxAge: 0 });
    // Both scopes: private wins, whichever comes first.
    expect(cacheHintOf("private, public, max-age=5")).toEqual({ maxAge: 5, scope: "PRIVATE" });
    expect(cacheHintOf("public, private")).toEqual({ maxAge: 0, scope: "PRIVATE" });
    // Directive names in any case; no-store and no-cache keep nothing.
    expect(cacheHintOf("Public, Max-Age=60")).toEqual({ maxAge: 60, scope: "PUBLIC" });
    expect(cacheHintOf("public, max-age=60, no-store")).toEqual({ maxAge: 0, scope: "PUBLIC" });
    expect(cacheHintOf("no-cache, public, max-age=60")).toEqual({ maxAge: 0, scope: "PUBLIC" });
    expect(cacheHintOf(null)).toEqual({ maxAge: 0 });
  });
});

describe("publicMaxAge (what the entity cache may keep for every caller)", () => {
  it("is max-age only for a public answer", () => {
    expect(publicMaxAge("public, max-age=60")).toBe(60);
    expect(publicMaxAge("max-age=60")).toBe(0);
    expect(publicMaxAge("public, max-age=60, private")).toBe(0);
    expect(publicMaxAge("public, max-age=60, no-store")).toBe(0);
    expect(publicMaxAge("public")).toBe(0);
    expect(publicMaxAge(undefined)).toBe(0);
  });
});

describe("ResponseHeaders", () => {
  it("reads names in any case and joins repeated headers as Headers does", () => {
    const headers = new ResponseHeaders([["content-type", "application/json"], ["vary", ["accept", "origin"]], ["x-none", undefined]]);
    expect(headers.get("Content-Type")).toBe("application/json");
    expect(headers.get("vary")).toBe("accept, origin");
    expect(headers.has("x-none")).toBe(false);
    expect(headers.get("x-none")).toBeNull();
    headers.set("Vary", "cookie");
    expect([...headers]).toEqual([["content-type", "application/json"], ["vary", "cookie"]]);
  });
});
