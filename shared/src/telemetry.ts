import type { IncomingMessage } from "node:http";
import type { NodeSDK } from "@opentelemetry/sdk-node";

/**
 * OpenTelemetry traces, only when OTEL_EXPORTER_OTLP_ENDPOINT (or ..._TRACES_ENDPOINT) is set:
 * otherwise nothing of OpenTelemetry is even loaded. Spans of incoming and outgoing HTTP (http and
 * undici, which carries the gateway's subgraph calls and the services' fetch calls), of Postgres
 * queries (pg) and of @apollo/gateway (request, plan, fetch) go to the OTLP endpoint; W3C
 * `traceparent` headers join the gateway's and the subgraphs' spans into one trace. The usual OTEL_*
 * variables apply (OTEL_EXPORTER_OTLP_PROTOCOL, OTEL_TRACES_SAMPLER, OTEL_BSP_SCHEDULE_DELAY…).
 *
 * Call it first in a process's entry, before anything loads http, undici or pg: the instrumentations
 * patch those modules as they load. Each cluster worker is a process of its own and starts its own.
 */
let sdk: NodeSDK | undefined;

export function startTelemetry(service: string): void {
  if (!process.env.OTEL_EXPORTER_OTLP_ENDPOINT && !process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return;
  // Loaded here, not imported: without an endpoint these modules cost nothing.
  const { NodeSDK } = require("@opentelemetry/sdk-node") as typeof import("@opentelemetry/sdk-node");
  const { HttpInstrumentation } = require("@opentelemetry/instrumentation-http") as typeof import("@opentelemetry/instrumentation-http");
  const { UndiciInstrumentation } = require("@opentelemetry/instrumentation-undici") as typeof import("@opentelemetry/instrumentation-undici");
  const { PgInstrumentation } = require("@opentelemetry/instrumentation-pg") as typeof import("@opentelemetry/instrumentation-pg");
  // Traces only: metrics are Prometheus's (/metrics) and logs go to stdout, unless set otherwise.
  process.env.OTEL_METRICS_EXPORTER ??= "none";
  process.env.OTEL_LOGS_EXPORTER ??= "none";
  sdk = new NodeSDK({
    serviceName: process.env.OTEL_SERVICE_NAME || `coalition-${service}`,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req: IncomingMessage) => req.url === "/metrics" || req.url === "/health",
        startIncomingSpanHook: redactedQueryString,
      }),
      new UndiciInstrumentation(),
      // Queries outside a request (migrations, the catalog's recovery sweep) make no traces of their own.
      new PgInstrumentation({ requireParentSpan: true }),
    ],
  });
  sdk.start();
}

/**
 * A GET query carries its query and variables (an email address, say) in the URL's query string,
 * which the HTTP instrumentation records as `url.query`: a span keeps that there was one, never what
 * it said (the logs never carry variables either). Attributes from this hook are applied last.
 */
export const redactedQueryString = (req: IncomingMessage): Record<string, string> => (req.url?.includes("?") ? { "url.query": "[redacted]" } : {});

/** Sends the spans still buffered (at shutdown), waiting at most `timeoutMs` for the collector. */
export async function stopTelemetry(timeoutMs = 5_000): Promise<void> {
  if (!sdk) return;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
  await Promise.race([sdk.shutdown().catch(() => undefined), timeout]);
  clearTimeout(timer);
}
