import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * Every request has an id: the caller's `x-request-id` when it is a sane one, else a new UUID. The
 * gateway sends it on each subgraph call, and services on their calls to each other (SubgraphClient);
 * every service puts it in its logs and answers with it, so one client request can be followed
 * through the logs of every service.
 */
export const REQUEST_ID_HEADER = "x-request-id";

// Bounded and plain, so a client cannot put anything odd (newlines, huge values) into our logs.
const VALID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Settles the request's id: on `req.headers` (where Apollo and the context read it) and on the response. */
export function assignRequestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers[REQUEST_ID_HEADER];
  const id = typeof given === "string" && VALID.test(given) ? given : randomUUID();
  req.headers[REQUEST_ID_HEADER] = id;
  res.setHeader(REQUEST_ID_HEADER, id);
  return id;
}

/** The id `assignRequestId` settled for this request (none outside a request). */
export function requestIdOf(req: IncomingMessage | undefined): string | undefined {
  const id = req?.headers[REQUEST_ID_HEADER];
  return typeof id === "string" ? id : undefined;
}

// Errors of a request, tagged by the request's Apollo plugin, so the error formatter can log the id
// (Apollo's formatError sees the error, not the request).
const errorRequests = new WeakMap<object, string>();

export function tagErrors(errors: readonly object[], requestId: string): void {
  for (const error of errors) errorRequests.set(error, requestId);
}

export const requestIdOfError = (error: unknown): string | undefined =>
  typeof error === "object" && error !== null ? errorRequests.get(error) : undefined;
