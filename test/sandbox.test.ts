import type { ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import type { IncomingMessage } from "node:http";
import { join } from "node:path";
import { REPO_ROOT } from "../shared/src/config";
import { STUDIO_ORIGIN, allowedOrigin, corsPolicy } from "../shared/src/cors";
import { postGraphQL } from "../tools/stack/graphql-client";
import { forkService, freePort, stopChild } from "../tools/stack/services";
import { gatewayUrl } from "./support/gateway";

/** In development the gateway serves Apollo Sandbox, answers introspection, and lets allowed browser origins call it. */

const preflight = (url: string, origin: string) =>
  fetch(url, { method: "OPTIONS", headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type, authorization" } });
const post = (url: string, origin: string) =>
  fetch(url, { method: "POST", headers: { origin, "content-type": "application/json" }, body: JSON.stringify({ query: "{ partners { id } }" }) });

describe("Apollo Sandbox", () => {
  it("GET /sandbox (linked from the explorer at /) leads to the landing page, which embeds Sandbox pointed at the gateway's own /graphql", async () => {
    const page = await fetch(new URL("/sandbox", gatewayUrl()), { headers: { accept: "text/html" } });
    expect(page.status).toBe(200);
    expect(page.url).toBe(gatewayUrl());
    const html = await page.text();
    expect(html).toContain("https://embeddable-sandbox.cdn.apollographql.com/");
    expect(html).toContain("new window.EmbeddedSandbox(");
    // The embedded Sandbox's endpoint is the page's own URL: /graphql, where GET / led.
    expect(html).toContain("initialEndpoint = window.location.href");
    expect(html).toMatch(/"runTelemetry":\s*false/);
  });

  it("GET /graphql with accept: text/html serves the same page", async () => {
    const page = await fetch(gatewayUrl(), { headers: { accept: "text/html" } });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    expect(await page.text()).toContain("new window.EmbeddedSandbox(");
  });

  it("introspection works through the gateway", async () => {
    const result = await postGraphQL(gatewayUrl(), `{ __schema { queryType { name } mutationType { name } } __type(name: "Member") { description } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data).toMatchObject({ __schema: { queryType: { name: "Query" }, mutationType: { name: "Mutation" } } });
    expect(result.data!.__type.description).toMatch(/enrolled in the coalition/);
  });
});

describe("CORS at the gateway", () => {
  const ownOrigin = () => new URL(gatewayUrl()).origin;

  it.each([
    ["Apollo Studio", () => STUDIO_ORIGIN],
    ["the page's own origin", ownOrigin],
  ])("allows %s: preflight and POST", async (_name, originOf) => {
    const origin = originOf();
    const answer = await preflight(gatewayUrl(), origin);
    expect(answer.status).toBe(204);
    expect(answer.headers.get("access-control-allow-origin")).toBe(origin);
    expect(answer.headers.get("vary")).toMatch(/origin/i);
    expect(answer.headers.get("access-control-allow-methods")).toMatch(/POST/);
    const allowedHeaders = answer.headers.get("access-control-allow-headers")!.split(/,\s*/);
    for (const header of ["content-type", "authorization", "x-api-key", "apollo-require-preflight", "apollographql-client-name"]) expect(allowedHeaders).toContain(header);

    const response = await post(gatewayUrl(), origin);
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe(origin);
    expect(response.headers.get("vary")).toMatch(/origin/i);
    // The app may read the request id, to quote it when something went wrong.
    expect(response.headers.get("access-control-expose-headers")).toBe("x-request-id");
    expect(response.headers.get("x-request-id")).toBeTruthy();
  });

  it("gives another origin no allow-origin header, on preflight or POST", async () => {
    const answer = await preflight(gatewayUrl(), "https://evil.example");
    expect(answer.headers.get("access-control-allow-origin")).toBeNull();
    expect(answer.headers.get("access-control-allow-headers")).toBeNull();
    const response = await post(gatewayUrl(), "https://evil.example");
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    expect(response.headers.get("vary")).toMatch(/origin/i);
    // A page on another port of the same host is another origin.
    const otherPort = (await post(gatewayUrl(), "http://localhost:1")).headers.get("access-control-allow-origin");
    expect(otherPort).toBeNull();
  });

  it("subgraphs send no CORS headers: they answer only the gateway", async () => {
    const response = await post(process.env.TEST_PARTNERS_URL!, STUDIO_ORIGIN);
    expect(response.status).toBe(401);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("reads CORS_ORIGINS: comma-separated origins, case and trailing slash ignored; `*` allows any origin", () => {
    const request = (origin: string, host = "gateway.example") => ({ headers: { origin, host } }) as unknown as IncomingMessage;
    const policy = corsPolicy({ CORS_ORIGINS: " https://App.example.com/ ,https://admin.example.com" });
    expect(allowedOrigin(policy, request("https://app.example.com"))).toBe("https://app.example.com");
    expect(allowedOrigin(policy, request("https://admin.example.com"))).toBe("https://admin.example.com");
    expect(allowedOrigin(policy, request(STUDIO_ORIGIN))).toBe(STUDIO_ORIGIN);
    expect(allowedOrigin(policy, request("https://gateway.example"))).toBe("https://gateway.example");
    expect(allowedOrigin(policy, request("https://other.example"))).toBeNull();
    expect(allowedOrigin(corsPolicy({}), request("https://app.example.com"))).toBeNull();
    expect(allowedOrigin(corsPolicy({ CORS_ORIGINS: "*" }), request("https://other.example"))).toBe("*");
  });

  describe("with CORS_ORIGINS set", () => {
    let gateway: { url: string; child: ChildProcess } | undefined;
    // A second gateway process on the run's subgraphs, with one more allowed origin.
    beforeAll(async () => {
      const env = process.env;
      gateway = await forkService(
        "gateway",
        join(REPO_ROOT, "dist", "gateway", "src", "main.js"),
        {
          ...env,
          APOLLO_TELEMETRY_DISABLED: "1",
          NODE_ENV: "test",
          LOG_LEVEL: "warn",
          GATEWAY_PORT: String(await freePort()),
          GATEWAY_SECRET: env.TEST_GATEWAY_SECRET,
          SERVICE_SECRET: env.TEST_SERVICE_SECRET,
          JWT_SECRET: env.TEST_JWT_SECRET,
          MEMBERS_URL: env.TEST_MEMBERS_URL,
          PARTNERS_URL: env.TEST_PARTNERS_URL,
          CATALOG_URL: env.TEST_CATALOG_URL,
          LEDGER_URL: env.TEST_LEDGER_URL,
          CORS_ORIGINS: "https://rewards-app.example.com, https://partner-portal.example.com",
        },
        env.TEST_SERVICES_LOG ? createWriteStream(env.TEST_SERVICES_LOG, { flags: "a" }) : null,
      );
    }, 60_000);
    afterAll(async () => {
      if (gateway) await stopChild(gateway.child);
    });

    it("allows the added origin, still allows Studio, and still refuses others", async () => {
      const added = "https://rewards-app.example.com";
      expect((await preflight(gateway!.url, added)).headers.get("access-control-allow-origin")).toBe(added);
      const response = await post(gateway!.url, added);
      expect(response.status).toBe(200);
      expect(response.headers.get("access-control-allow-origin")).toBe(added);
      expect((await post(gateway!.url, STUDIO_ORIGIN)).headers.get("access-control-allow-origin")).toBe(STUDIO_ORIGIN);
      expect((await post(gateway!.url, "https://evil.example")).headers.get("access-control-allow-origin")).toBeNull();
    });
  });
});
