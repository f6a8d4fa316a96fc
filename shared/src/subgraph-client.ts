import { GraphQLError } from "graphql";
import { type SubgraphName, healthUrlOf, intFromEnv, subgraphUrl } from "./config";
import { serviceProofHeader } from "./auth/service-identity";
import { BREAKER_DEFAULTS, CircuitOpenError, serviceCallSettings } from "./circuit-breaker";
import { GuardedCalls, healthyAt } from "./guarded-calls";
import { appError } from "./errors";
import { REQUEST_ID_HEADER } from "./request-id";
import { CONTROL_LANE, CONTROL_LANE_HEADER } from "./overload";

interface GraphQLResponse<T> {
  data?: T;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/**
 * Service-to-service GraphQL calls to another subgraph (never its database). An unreachable or slow
 * service becomes UPSTREAM_UNAVAILABLE; an error the other service raised keeps its code. A client
 * made for a request passes on that request's id, so the other service logs it under the same id.
 */
/** How long a service waits for another service it calls (SERVICE_CALL_TIMEOUT_MS), checked at start by run-subgraph. */
export const SUBGRAPH_CALL_TIMEOUT_DEFAULT_MS = 4_000;

/**
 * The most service-to-service calls one gateway request can wait for, one after another: a retry of
 * a redemption still PENDING past REDEMPTION_RECOVERY_AFTER_SECONDS releases its hold first (settling
 * it as the sweep would), then redeems: the members service, the ledger's standing, place, capture
 * and (on a failure) release the hold. The gateway waits longer than this many SERVICE_CALL_TIMEOUT_MS
 * (checked at its start), so a chain that times out answers before the gateway gives up on it
 * (5 before an outside review counted the retry's first release).
 */
export const LONGEST_CALL_CHAIN = 6;

// One breaker per called service and process: a dead or frozen service fails its callers at once,
// and the calls waiting on it when it stalls are aborted (guarded-calls.ts), sooner than the gateway
// would take this service for frozen (serviceCallSettings).
const guards = new Map<SubgraphName, GuardedCalls>();
const guardOf = (service: SubgraphName) => {
  let guard = guards.get(service);
  if (!guard) {
    guard = new GuardedCalls(
      service,
      serviceCallSettings({
        failuresToOpen: intFromEnv("BREAKER_FAILURES", BREAKER_DEFAULTS.failuresToOpen),
        openMs: intFromEnv("BREAKER_OPEN_MS", BREAKER_DEFAULTS.openMs),
        stallMs: intFromEnv("BREAKER_STALL_MS", BREAKER_DEFAULTS.stallMs),
      }),
      healthyAt(healthUrlOf(subgraphUrl(service))),
    );
    guards.set(service, guard);
  }
  return guard;
};

export class SubgraphClient {
  constructor(
    private readonly service: SubgraphName,
    private readonly requestId?: string,
    private readonly timeoutMs = intFromEnv("SERVICE_CALL_TIMEOUT_MS", SUBGRAPH_CALL_TIMEOUT_DEFAULT_MS),
  ) {}

  /** The same client, for the request with this id (for clients kept across requests). */
  forRequest(requestId: string | undefined): SubgraphClient {
    return requestId === this.requestId ? this : new SubgraphClient(this.service, requestId, this.timeoutMs);
  }

  /** `lane: "control"`: the other service admits it past its limits (shared/src/overload.ts CONTROL_LANE; the gateway's erasure feed only). */
  async request<T>(query: string, variables: Record<string, unknown> = {}, { lane }: { lane?: typeof CONTROL_LANE } = {}): Promise<T> {
    let response: Response;
    try {
      response = await guardOf(this.service).run((stalled) =>
        fetch(subgraphUrl(this.service), {
          method: "POST",
          headers: { "content-type": "application/json", ...serviceProofHeader(this.service), ...(this.requestId ? { [REQUEST_ID_HEADER]: this.requestId } : {}), ...(lane ? { [CONTROL_LANE_HEADER]: lane } : {}) },
          body: JSON.stringify({ query, variables }),
          signal: AbortSignal.any([AbortSignal.timeout(this.timeoutMs), stalled]),
        }),
      );
    } catch (error) {
      if (error instanceof CircuitOpenError) throw appError("UPSTREAM_UNAVAILABLE", `The ${this.service} service is not answering; try again shortly`);
      throw appError("UPSTREAM_UNAVAILABLE", `The ${this.service} service did not answer; try again shortly`);
    }
    const body = (await response.json().catch(() => ({}))) as GraphQLResponse<T>;
    const first = body.errors?.[0];
    if (first) {
      const code = first.extensions?.code;
      // Shed by the other service (503 OVERLOADED, refused before any work): to this service's caller, a
      // service that is away for now, as the gateway answers a subgraph's refusal. Passed on as OVERLOADED,
      // it reached clients with HTTP 200 and no Retry-After, and told them "the gateway is at capacity".
      if (code === "OVERLOADED") throw appError("UPSTREAM_UNAVAILABLE", `The ${this.service} service is at capacity; try again shortly`);
      if (typeof code === "string" && code !== "INTERNAL_SERVER_ERROR") {
        throw new GraphQLError(first.message, { extensions: { ...first.extensions, code } });
      }
      throw appError("UPSTREAM_UNAVAILABLE", `The ${this.service} service failed: ${first.message}`);
    }
    if (!response.ok || !body.data) {
      throw appError("UPSTREAM_UNAVAILABLE", `The ${this.service} service answered HTTP ${response.status}`);
    }
    return body.data;
  }

  /** Entities by id through the other subgraph's `_entities`; null where it does not know the id. */
  async entities<T>(typename: string, ids: readonly string[], selection: string): Promise<(T | null)[]> {
    const data = await this.request<{ _entities: (T | null)[] }>(
      `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on ${typename} { ${selection} } } }`,
      { representations: ids.map((id) => ({ __typename: typename, id })) },
    );
    return data._entities;
  }
}
