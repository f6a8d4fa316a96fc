import type { ApolloServerPlugin, BaseContext } from "@apollo/server";
import type { Identity } from "./auth/proof";
import { answeredCode } from "./errors";
import type { Logger } from "./logger";
import { operationLabel, recordContextFailure, recordOperation } from "./metrics";
import { REQUEST_ID_HEADER, tagErrors } from "./request-id";

/**
 * Operations services send each other on a timer, not for anyone's request: the gateway reads the
 * erasure feed four times per ERASURE_CHECK_CACHE_MS. Logged at `debug` when they succeed (at `info`
 * they were nine lines in ten of the members service's log), counted in /metrics like any other.
 */
const BACKGROUND_OPERATIONS: ReadonlySet<string> = new Set(["ErasureFeed"]);

/**
 * Per GraphQL operation: a count and a duration for /metrics, and one `info` log line with the request
 * id, operation, duration, status and its errors' codes, each once (LOG_LEVEL=warn drops it). Errors are tagged with
 * the request id so that the error formatter's log line carries it. No variables are logged: they can
 * hold personal data.
 */
export function requestObserver(log?: Logger): ApolloServerPlugin<BaseContext> {
  return {
    // The context refused the request (a bad token, a rate limit, a service it asked unavailable):
    // counted and logged like an answer, though never executed.
    async contextCreationDidFail({ error }) {
      recordContextFailure();
      if (!log) return;
      const extensions = (error as { extensions?: { code?: unknown; http?: { status?: number } } }).extensions;
      log.info("request", { operation: null, status: extensions?.http?.status ?? 500, errors: [extensions?.code ?? "INTERNAL_SERVER_ERROR"], refusedBeforeExecution: true });
    },
    async requestDidStart({ request }) {
      const started = performance.now();
      const requestId = request.http?.headers.get(REQUEST_ID_HEADER);
      return {
        async didEncounterErrors({ errors }) {
          if (requestId) tagErrors(errors, requestId);
        },
        async willSendResponse({ operation, operationName, errors, response, contextValue }) {
          const seconds = (performance.now() - started) / 1000;
          // Every service's context carries who is calling (the gateway's, and the subgraphs' from the gateway's proof).
          const byAnonymous = (contextValue as { identity?: Identity } | undefined)?.identity?.kind === "anonymous";
          recordOperation(operationLabel(operationName, operation !== undefined, byAnonymous), errors?.length ? "error" : "ok", seconds);
          if (!log) return;
          const fields: Record<string, unknown> = { requestId, operation: operationName ?? null, ms: Math.round(seconds * 10_000) / 10, status: response.http.status ?? 200 };
          // Each code once: a list whose 100 entities failed with the ledger is 100 errors of one code.
          if (errors?.length) fields.errors = [...new Set(errors.map(answeredCode))];
          if (!errors?.length && operationName && BACKGROUND_OPERATIONS.has(operationName)) log.debug("request", fields);
          else log.info("request", fields);
        },
      };
    },
  };
}
