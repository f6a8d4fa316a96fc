// @ts-check
import { createRequire } from "node:module";
import { defineConfig, useHttpCache } from "@graphql-hive/gateway";

/**
 * Hive Gateway configured to do the work our gateway (gateway/src) must do on every request, and no
 * more, so the benchmark compares like with like. Hive imports this file in its main process and in
 * each worker.
 *
 * JavaScript with JSDoc types rather than TypeScript: the project's tsc build includes bench/, and
 * Hive's types (graphql-yoga's) augment graphql's error extensions in a way gateway/src does not compile
 * against. Check it on its own with:
 *   npx tsc --noEmit --allowJs --checkJs --strict --module node16 --target es2022 --skipLibCheck --experimentalDecorators --types node bench/hive/gateway.config.mjs
 */

// The very modules our gateway runs, compiled (the benchmark builds first).
const fromDist = createRequire(new URL("../../dist/", import.meta.url));
/** @type {typeof import("../../shared/src/config.js")} */
const { SUBGRAPH_NAMES, subgraphUrl } = fromDist("./shared/src/config.js");
/** @type {typeof import("../../shared/src/auth/proof.js")} */
const { PROOF_HEADER, proofSecrets, signProof } = fromDist("./shared/src/auth/proof.js");
/** @type {typeof import("../../shared/src/auth/service-identity.js")} */
const { setServiceIdentity } = fromDist("./shared/src/auth/service-identity.js");
/** @type {typeof import("../../gateway/src/identity.js")} */
const { Identifier, tokenVerification } = fromDist("./gateway/src/identity.js");

/** @typedef {import("../../shared/src/auth/proof.js").Identity} Identity */

/**
 * Who is calling, once per request, and a signed proof of it on every subgraph request: what
 * gateway/src/main.ts (context) and gateway.ts (SignedDataSource.willSendRequest) do.
 * @returns {import("@graphql-hive/gateway").GatewayPlugin<{ identity: Identity }>}
 */
function coalitionIdentity() {
  const secrets = proofSecrets();
  const subgraphOfUrl = new Map(SUBGRAPH_NAMES.map((name) => [subgraphUrl(name), name]));
  // The Identifier asks the partners subgraph about API keys, as the gateway service (as main.ts sets up).
  setServiceIdentity("gateway", secrets.service);
  const identifier = new Identifier(tokenVerification());
  return {
    // A wrong credential throws UNAUTHENTICATED (HTTP 401): the request gets that error, never data.
    async onContextBuilding({ context, extendContext }) {
      const headers = context.request.headers;
      const identity = await identifier.identify({ authorization: headers.get("authorization") ?? undefined, "x-api-key": headers.get("x-api-key") ?? undefined });
      extendContext({ identity });
    },
    // A proof per subgraph request, for that subgraph (its name from the URL it is sent to), as SignedDataSource does.
    onFetch({ context, executionRequest, url, options, setOptions }) {
      if (!executionRequest) return; // not a subgraph request
      const audience = subgraphOfUrl.get(url);
      if (!audience) return; // not one of ours: no proof, as our gateway sends none to a subgraph it does not own
      /** @type {Identity} */
      const identity = ("identity" in context && context.identity) || { kind: "anonymous" };
      setOptions({ ...options, headers: { ...options.headers, [PROOF_HEADER]: signProof(identity, "gateway", secrets.gateway, audience) } });
    },
  };
}

/*
 * The variant under test, set by start-hive.ts (names of our own: Hive's own HIVE_ROUTER_RUNTIME is cleared).
 * - BENCH_HIVE_HTTP_CACHE=1: the caching Hive's documentation recommends for subgraphs' cache hints,
 *   its HTTP cache plugin: a subgraph answer sent with `Cache-Control: public, max-age=N` (the partners
 *   subgraph's `_entities`, from the same hint our gateway's entity cache reads) is kept N seconds and
 *   served again for the same subgraph request. Hive's response cache was not used: it caches whole
 *   operations by session, while every headline answer is a member's own (private, unhinted fields).
 * - BENCH_HIVE_ROUTER_RUNTIME=1: the Rust query planner and executor (@graphql-hive/router-runtime).
 */
const httpCache = process.env.BENCH_HIVE_HTTP_CACHE === "1";
const routerRuntime = process.env.BENCH_HIVE_ROUTER_RUNTIME === "1";
// @ts-ignore: optional, installed by `npm install` as a devDependency; start-hive.ts checks it resolves first.
const unifiedGraphHandler = routerRuntime ? (await import("@graphql-hive/router-runtime")).unifiedGraphHandler : undefined;

export const gatewayConfig = defineConfig({
  ...(unifiedGraphHandler ? { unifiedGraphHandler } : {}),
  transportEntries: {
    // Our gateway never collapses identical in-flight subgraph requests; Hive does by default.
    "*.http": { options: { deduplicateInflightRequests: false } },
    // Subgraph URLs from the environment (MEMBERS_URL...), as our gateway's buildService takes them,
    // instead of the defaults written in the supergraph file.
    ...Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, { location: subgraphUrl(name) }])),
  },
  // The HTTP cache first: a kept answer ends the fetch before anything is signed for it. It uses the
  // gateway's cache storage (Hive's default: in memory, per process, as our entity cache without Redis).
  plugins: (context) => [...(httpCache ? [useHttpCache({ ...context })] : []), coalitionIdentity()],
  // Nothing calls out: no usage reporting (no registry token; start-hive.ts clears Hive's environment
  // options), no tracing, no polling of a URL (the supergraph is a local file). Masked errors stay on
  // (the default), as our gateway hides internal errors too.
  logging: "warn",
});
