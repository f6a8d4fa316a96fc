import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * Which browser origins may call the gateway: Apollo Studio's hosted Sandbox, the page's own origin
 * (the landing page's embedded Sandbox, served by the gateway itself), and what `CORS_ORIGINS` adds
 * (comma-separated; `*` allows every origin). Other origins get no `access-control-allow-origin`,
 * so browsers refuse to hand them the answer.
 */
export const STUDIO_ORIGIN = "https://studio.apollographql.com";

const ALLOWED_METHODS = "GET, POST, OPTIONS";
/** The headers our clients and Apollo's tools send. */
const ALLOWED_HEADERS = [
  "content-type",
  "authorization",
  "x-api-key",
  "apollo-require-preflight",
  "x-apollo-operation-name",
  "apollographql-client-name",
  "apollographql-client-version",
  "cache-control",
  "pragma",
  // Request ids and trace context, for clients that propagate them.
  "x-request-id",
  "traceparent",
].join(", ");
const PREFLIGHT_MAX_AGE_SECONDS = "600";
/** Answer headers a browser app may read: the request id, to quote in a support ticket. */
const EXPOSED_HEADERS = "x-request-id";

export interface CorsPolicy {
  anyOrigin: boolean;
  origins: ReadonlySet<string>;
}

/** Origins compare without case and without a trailing slash (`https://App.example/` is `https://app.example`). */
const normalize = (origin: string) => origin.trim().replace(/\/+$/, "").toLowerCase();

export function corsPolicy(env: NodeJS.ProcessEnv = process.env): CorsPolicy {
  const extra = (env.CORS_ORIGINS ?? "").split(",").map(normalize).filter(Boolean);
  return { anyOrigin: extra.includes("*"), origins: new Set([STUDIO_ORIGIN, ...extra]) };
}

const headerOf = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** The value for `access-control-allow-origin`, or null when this request's origin is not allowed. */
export function allowedOrigin(policy: CorsPolicy, req: IncomingMessage): string | null {
  const origin = headerOf(req, "origin");
  if (!origin) return null;
  if (policy.anyOrigin) return "*";
  const wanted = normalize(origin);
  if (policy.origins.has(wanted)) return origin;
  // The page's own origin: the gateway as the browser reached it (the Host header it sent).
  const host = headerOf(req, "host")?.toLowerCase();
  if (host && (wanted === `http://${host}` || wanted === `https://${host}`)) return origin;
  return null;
}

/**
 * Headers for an answer (not a preflight): the allowed origin, and Vary so caches keep answers per
 * origin. Without a policy (subgraphs, which answer only servers) there are none.
 */
export function corsHeaders(policy: CorsPolicy | undefined, req: IncomingMessage): Record<string, string> {
  if (!policy || !headerOf(req, "origin")) return {};
  const origin = allowedOrigin(policy, req);
  if (policy.anyOrigin) return { "access-control-allow-origin": "*", "access-control-expose-headers": EXPOSED_HEADERS };
  return origin ? { "access-control-allow-origin": origin, "access-control-expose-headers": EXPOSED_HEADERS, vary: "Origin" } : { vary: "Origin" };
}

/**
 * Express-style middleware: sets the answer's CORS headers and answers preflights (OPTIONS) itself,
 * 204 with the methods and headers for an allowed origin, 204 without them for any other. Without a
 * policy it does nothing.
 */
export function corsMiddleware(policy: CorsPolicy | undefined) {
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    if (!policy) return next();
    for (const [name, value] of Object.entries(corsHeaders(policy, req))) res.setHeader(name, value);
    if (req.method !== "OPTIONS") return next();
    if (allowedOrigin(policy, req)) {
      res.setHeader("access-control-allow-methods", ALLOWED_METHODS);
      res.setHeader("access-control-allow-headers", ALLOWED_HEADERS);
      res.setHeader("access-control-max-age", PREFLIGHT_MAX_AGE_SECONDS);
    }
    res.statusCode = 204;
    res.setHeader("content-length", "0");
    res.end();
  };
}
