import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer, type ApolloServerOptions, type BaseContext, HeaderMap } from "@apollo/server";
import { expressMiddleware } from "@as-integrations/express5";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import express, { type Express, type NextFunction, type Request, type Response } from "express";
import { type Identity, PROOF_HEADER, type ProofSecrets, verifyProof } from "./auth/proof";
import { SUBGRAPHS, SUBGRAPH_NAMES } from "./config";
import { type CorsPolicy, corsHeaders, corsMiddleware } from "./cors";
import { requestGuard, storableStringLiterals } from "./input-guard";
import type { Logger } from "./logger";
import { carriesMetricsToken, metricsClosed, metricsRegistry, metricsToken, recordRejected } from "./metrics";
import { assignRequestId } from "./request-id";
import { requestObserver } from "./request-observer";
import { ABANDONED, type AdmissionLimits, AdmissionGate, CONTROL_LANE, CONTROL_LANE_HEADER, sendOverloaded } from "./overload";

/** The variables that move a service to another port, for the message of a port in use. */
const PORT_VARIABLES = ["GATEWAY_PORT", ...SUBGRAPH_NAMES.map((name) => SUBGRAPHS[name].portEnv)].join(", ");

export interface GraphQLHttpServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface ServeOptions<TContext extends BaseContext> {
  port: number;
  apollo: ApolloServerOptions<TContext>;
  context: (req: IncomingMessage, identity: Identity) => Promise<TContext>;
  /** Checks that the service can do its work (e.g. its database answers); GET /health reports it. */
  health?: () => Promise<void>;
  /** Subgraphs: answer /graphql only with a valid proof from the gateway or another service, made for `audience` (this subgraph's name; 401 otherwise). */
  requireProof?: ProofSecrets & { audience: string };
  /** Largest request body accepted, in bytes. */
  maxBodyBytes?: number;
  /** Operations accepted in one batched request (an array body); 0 refuses batches. */
  maxBatchOperations?: number;
  /** Browser origins allowed to call /graphql (the gateway); without it, no CORS headers (subgraphs answer only servers). */
  cors?: CorsPolicy;
  /** Where each request's line goes (request id, operation, duration, status); without it, metrics only. */
  log?: Logger;
  /** Load shedding of POST /graphql (shared/src/overload.ts); without it, no limit. */
  admission?: AdmissionLimits;
  /** Extra HTTP routes (e.g. a test clock), mounted before /graphql. */
  routes?: (app: Express) => void;
}

/** Serves an Apollo server at /graphql, with /health and /metrics, and stops gracefully. */
export async function serveGraphQL<TContext extends BaseContext>(options: ServeOptions<TContext>): Promise<GraphQLHttpServer> {
  const app = express();
  app.disable("x-powered-by");
  const httpServer: Server = createServer();
  // Outlive the gateway's idle keep-alive sockets, or it may reuse one we just closed ("socket hang up").
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;
  const apollo = new ApolloServer<TContext>({
    ...options.apollo,
    // Our shutdown (shared/src/shutdown.ts) stops Apollo once; its own SIGTERM handler (on outside
    // NODE_ENV=test) would stop it a second time, a call that never returns, and the process hangs.
    stopOnTerminationSignals: false,
    // Batches (an array body) when the server accepts them (ALLOW_BATCHING=1 at the gateway): without it
    // Apollo answered every batch the size check let through with 400, "Operation batching disabled".
    allowBatchedHttpRequests: (options.maxBatchOperations ?? 0) > 0,
    validationRules: [...(options.apollo.validationRules ?? []), storableStringLiterals],
    plugins: [requestGuard(), ...(options.apollo.plugins ?? []), ApolloServerPluginDrainHttpServer({ httpServer }), requestObserver(options.log)],
  } as ApolloServerOptions<TContext>);
  await apollo.start();

  app.get("/health", async (_req, res) => {
    try {
      await options.health?.();
      res.json({ status: "ok" });
    } catch (error) {
      res.status(503).json({ status: "unavailable", reason: (error as Error).message });
    }
  });
  const token = metricsToken();
  const closed = metricsClosed();
  app.get("/metrics", async (req, res) => {
    if (closed) {
      res.status(404).type("text/plain").send("Not found\n");
      return;
    }
    if (token && !carriesMetricsToken(req.headers.authorization, token)) {
      res.status(401).set("www-authenticate", 'Bearer realm="metrics"').type("text/plain").send("GET /metrics needs the METRICS_TOKEN bearer token\n");
      return;
    }
    res.type(metricsRegistry.contentType).send(await metricsRegistry.metrics());
  });
  options.routes?.(app);
  // POSTs to /graphql (all of the traffic) take the direct path below; express serves the rest:
  // GET (Sandbox's landing page, GET queries) and CORS preflights.
  const proofOf = (req: IncomingMessage) => (options.requireProof ? verifyProof(headerOf(req, PROOF_HEADER), options.requireProof, options.requireProof.audience) : ANONYMOUS_PROOF);
  // One gate for every GraphQL request a client can run: POSTs below, and GET queries here.
  const gate = options.admission ? new AdmissionGate(options.admission) : undefined;
  app.use(
    "/graphql",
    (req: Request, res: Response, next: NextFunction) => {
      const proof = proofOf(req);
      if (!proof) return sendErrors(res, 401, NOT_THE_GATEWAY, "UNAUTHENTICATED");
      res.locals.identity = proof.identity;
      next();
    },
    async (req: Request, res: Response, next: NextFunction) => {
      // A GET that runs an operation takes a slot like a POST (a landing page or preflight runs nothing).
      if (!gate || req.method !== "GET") return next();
      const search = new URL(req.url, "http://localhost").searchParams;
      if (!search.has("query") && !search.has("extensions")) return next();
      const entered = await gate.enter(req.socket);
      if (entered === ABANDONED) return void res.destroy();
      if (typeof entered === "string") return sendOverloaded(req, res, options.admission!, corsHeaders(options.cors, req));
      res.once("close", entered);
      next();
    },
    corsMiddleware(options.cors),
    (req: Request, _res: Response, next: NextFunction) => {
      // No body parser here (POSTs take the direct path), and without req.body Apollo's express integration answers 500.
      if (!Object.hasOwn(req, "body")) req.body = undefined;
      next();
    },
    expressMiddleware(apollo, { context: ({ req, res }) => options.context(req, res.locals.identity) }),
  );
  app.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    sendErrors(res, 500, "Internal server error", "INTERNAL_SERVER_ERROR");
  });
  const postGraphQL = graphQLPostHandler(apollo, options, proofOf, gate);
  httpServer.on("request", (req: IncomingMessage, res: ServerResponse) => {
    assignRequestId(req, res);
    // Every POST that express would route to Apollo (/graphql, /graphql/, /graphql/x, /graphql?x).
    if (req.method === "POST" && GRAPHQL_PATH.test(req.url ?? "")) void postGraphQL(req, res);
    else app(req, res);
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "EADDRINUSE" ? new Error(`port ${options.port} is in use (another npm start?): stop what listens there, or move a service with one of ${PORT_VARIABLES}`, { cause: error }) : error),
    );
    httpServer.listen(options.port, resolve);
  });
  const port = (httpServer.address() as AddressInfo).port;
  return {
    port,
    url: `http://localhost:${port}/graphql`,
    stop: () => apollo.stop(),
  };
}

const GRAPHQL_PATH = /^\/graphql(?:[/?]|$)/;
const NOT_THE_GATEWAY = "This service answers only the Coalition gateway";
const ANONYMOUS_PROOF = { identity: { kind: "anonymous" } as Identity };

const headerOf = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

function sendErrors(res: ServerResponse, status: number, message: string, code: string, headers: Record<string, string> = {}): void {
  recordRejected(status);
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body), ...headers });
  res.end(body);
}

class RequestBodyError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

const OPERATIONS = new WeakMap<IncomingMessage, number>();
/** How many operations a request carries (a batch's length; 1 otherwise): what a rate limit charges it (gateway/src/server.ts). */
export const operationsIn = (req: IncomingMessage): number => OPERATIONS.get(req) ?? 1;

/** How long a client may take to send a request's body (Node's own limit, requestTimeout, is 5 minutes). */
const BODY_TIMEOUT_MS = 10_000;

/** The body, up to `limit` bytes within `timeoutMs`; larger (or slower) bodies are refused before they are read to the end. */
async function readBody(req: IncomingMessage, limit: number, timeoutMs: number): Promise<string> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) throw new RequestBodyError(413, "PAYLOAD_TOO_LARGE", "Request body too large");
  const chunks: Buffer[] = [];
  let size = 0;
  const timer = setTimeout(() => req.destroy(new RequestBodyError(408, "BAD_REQUEST", "Request body not received in time")), timeoutMs);
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) throw new RequestBodyError(413, "PAYLOAD_TOO_LARGE", "Request body too large");
      chunks.push(chunk);
    }
  } finally {
    clearTimeout(timer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * POST /graphql straight into Apollo Server, without express's router and body parser: a subgraph
 * serves several of these per page, and each layer costs CPU on every one of them. Same answers as
 * the express path: 401 without a proof (subgraphs), 413 too large, 400 not JSON or too many batched.
 */
function graphQLPostHandler<TContext extends BaseContext>(
  apollo: ApolloServer<TContext>,
  options: ServeOptions<TContext>,
  proofOf: (req: IncomingMessage) => { identity: Identity } | null,
  gate: AdmissionGate | undefined,
) {
  const maxBytes = options.maxBodyBytes ?? 1_000_000;
  const maxBatch = options.maxBatchOperations ?? 0;
  const admission = options.admission;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let entered: Awaited<ReturnType<AdmissionGate["enter"]>> | undefined;
    try {
      const proof = proofOf(req);
      if (!proof) {
        req.resume();
        return sendErrors(res, 401, NOT_THE_GATEWAY, "UNAUTHENTICATED");
      }
      const cors = corsHeaders(options.cors, req);
      // The body is read before a slot is taken: a client that sends it slowly (or never finishes it)
      // holds its own connection only, never one of the GATEWAY_MAX_IN_FLIGHT slots everyone shares.
      let raw: string;
      try {
        raw = await readBody(req, maxBytes, BODY_TIMEOUT_MS);
      } catch (error) {
        const known = error instanceof RequestBodyError ? error : new RequestBodyError(400, "BAD_REQUEST", "Request body is not valid JSON");
        return sendErrors(res, known.status, known.message, known.code, cors);
      }
      let body: unknown;
      try {
        const json = /^application\/(.+\+)?json/i.test(headerOf(req, "content-type") ?? "");
        if (json && raw.length) body = JSON.parse(raw);
        if (json && (typeof body !== "object" || body === null)) throw new RequestBodyError(400, "BAD_REQUEST", "Request body is not valid JSON");
      } catch (error) {
        const known = error instanceof RequestBodyError ? error : new RequestBodyError(400, "BAD_REQUEST", "Request body is not valid JSON");
        return sendErrors(res, known.status, known.message, known.code, cors);
      }
      const batch = Array.isArray(body) ? body.length : 0;
      OPERATIONS.set(req, Math.max(batch, 1));
      if (batch > maxBatch) {
        const message = maxBatch ? `At most ${maxBatch} operations per batch` : "Batched requests are not accepted: send one operation per request";
        return sendErrors(res, 400, message, "BATCH_TOO_LARGE", cors);
      }
      // A service's control request (the gateway's erasure-feed read) has a small lane of its own past the limits.
      // Parsed first: a batch takes a slot per operation.
      const control = proof.identity.kind === "service" && headerOf(req, CONTROL_LANE_HEADER) === CONTROL_LANE;
      entered = gate ? await (control ? gate.enterControl(req.socket) : gate.enter(req.socket, Math.max(batch, 1))) : undefined;
      // Its client closed the connection while it waited: no one to answer, nothing run.
      if (entered === ABANDONED) return void res.destroy();
      if (typeof entered === "string") return sendOverloaded(req, res, admission!, cors);
      const headers = new HeaderMap();
      for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: "POST", headers, search: new URL(req.url!, "http://localhost").search, body },
        context: () => options.context(req, proof.identity),
      });
      res.statusCode = response.status ?? 200;
      for (const [name, value] of response.headers) res.setHeader(name, value);
      // CORS's `Vary: Origin` joins what the answer varies on (a private answer: the credentials), never replaces it.
      for (const [name, value] of Object.entries(cors)) res.setHeader(name, name === "vary" ? joinVary(res.getHeader("vary"), value) : value);
      if (response.body.kind === "complete") {
        res.end(response.body.string);
      } else {
        for await (const chunk of response.body.asyncIterator) res.write(chunk);
        res.end();
      }
    } catch {
      if (res.headersSent) res.destroy();
      else sendErrors(res, 500, "Internal server error", "INTERNAL_SERVER_ERROR");
    } finally {
      if (typeof entered === "function") entered();
    }
  };
}

/** Two `Vary` values as one, each header named once (names are case-insensitive). */
export function joinVary(existing: unknown, added: string): string {
  const names = [...String(existing ?? "").split(","), ...added.split(",")].map((name) => name.trim()).filter(Boolean);
  return [...new Map(names.map((name) => [name.toLowerCase(), name])).values()].join(", ");
}
