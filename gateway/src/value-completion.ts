import type { GatewayExecutionResult, GatewayGraphQLRequestContext, GatewayInterface } from "@apollo/server-gateway-interface";
import { GraphQLError } from "graphql";

/**
 * A subgraph's value that its schema does not allow (a string where an Int belongs, null for a
 * non-null field) is an error of ours, answered as one. @apollo/gateway nulls such a field (and,
 * for a non-null one, its parent) and, when nothing else failed, says why only under
 * `extensions.valueCompletion`, with no `errors`: clients read `errors`, so `Reward.stock: null` (no
 * stock limit) or `data: null` came as a silent success. Each is moved to `errors` at its path, with
 * the cause as its original error, so the error formatter logs it with the request id and answers
 * INTERNAL_SERVER_ERROR, like any bug of ours.
 *
 * When the answer has other errors too (a subgraph's own error, a failed call), @apollo/gateway 2.x
 * drops those findings altogether (executeQueryPlan: `if (errors.length === 0 && ...)`), because a
 * failed call leaves fields missing that its result shaping then reports as "Cannot return null for
 * non-nullable field". So the findings are taken where the plan's results are shaped
 * (`computeResponse`, wrapped below), and then:
 * - a wrong value (`Invalid value found for field ...`, `Invalid __typename ...`) is always an error:
 *   nothing missing ever looks like one;
 * - a null for a non-null field is an error unless another error explains it: one with no path (a
 *   whole call failed) or one at, above or below its path.
 */
export function surfacingValueCompletion(gateway: GatewayInterface): GatewayInterface {
  const hooked = hookResultShaping();
  return {
    onSchemaLoadOrUpdate: (callback) => gateway.onSchemaLoadOrUpdate(callback),
    stop: () => gateway.stop(),
    load: async (options) => {
      const loaded = await gateway.load(options);
      const { executor } = loaded;
      if (!executor) return loaded;
      if (!hooked) return { ...loaded, executor: async (requestContext) => withCompletionErrors(await executor(requestContext)) };
      return {
        ...loaded,
        executor: async (requestContext) => {
          const found = watchShaping(requestContext);
          try {
            return withCompletionErrors(await executor(requestContext), found);
          } finally {
            SHAPING.delete(requestContext.request.variables!);
          }
        },
      };
    },
  };
}

type ComputeResponse = (args: { variables?: Record<string, unknown> }) => { errors: GraphQLError[] };

/** What each request's result shaping found, keyed by its variables (the object computeResponse is given: one per request, see watchShaping). */
const SHAPING = new WeakMap<object, GraphQLError[]>();
const HOOKED = Symbol.for("coalition.valueCompletion.hooked");

/**
 * Wraps @apollo/gateway's `computeResponse` (dist/resultShaping, read by executeQueryPlan at each
 * call) so that its errors reach the request they belong to. False when this version of
 * @apollo/gateway has none (test/subgraph-garbage.test.ts then fails): only `extensions.valueCompletion` is read.
 */
function hookResultShaping(): boolean {
  let shaping: { computeResponse?: ComputeResponse & { [HOOKED]?: true } };
  try {
    shaping = require("@apollo/gateway/dist/resultShaping");
  } catch {
    return false;
  }
  const original = shaping.computeResponse;
  if (typeof original !== "function") return false;
  if (original[HOOKED]) return true;
  const wrapped: ComputeResponse & { [HOOKED]?: true } = (args) => {
    const result = original(args);
    if (result.errors?.length && args.variables) SHAPING.get(args.variables)?.push(...result.errors);
    return result;
  };
  wrapped[HOOKED] = true;
  shaping.computeResponse = wrapped;
  return true;
}

/**
 * Gives the request variables of its own (a copy: same values, an object no other request shares,
 * as executeQueryPlan passes `request.variables` to computeResponse) and returns where its findings go.
 */
function watchShaping(requestContext: GatewayGraphQLRequestContext): GraphQLError[] {
  const variables = { ...requestContext.request.variables };
  requestContext.request.variables = variables;
  const found: GraphQLError[] = [];
  SHAPING.set(variables, found);
  return found;
}

const NULL_FOR_NON_NULL = /^Cannot return null for non-nullable /;

const related = (a: readonly (string | number)[], b: readonly (string | number)[]): boolean => {
  const shorter = a.length <= b.length ? a : b;
  const longer = shorter === a ? b : a;
  return shorter.every((key, index) => key === longer[index]);
};

/**
 * The result with its value-completion findings as errors: `found` (what result shaping reported,
 * when hooked) or else `extensions.valueCompletion` (the same findings, given only when nothing else failed).
 */
export function withCompletionErrors(result: GatewayExecutionResult, found: readonly GraphQLError[] = []): GatewayExecutionResult {
  const { valueCompletion, ...extensions } = result.extensions ?? {};
  const reported: GraphQLError[] = found.length ? [...found] : Array.isArray(valueCompletion) ? valueCompletion : [];
  if (!reported.length && valueCompletion === undefined) return result;
  const others = result.errors ?? [];
  const unexplained = reported.filter(
    (error) => !NULL_FOR_NON_NULL.test(error.message) || !others.some((other) => !other.path || !error.path || related(other.path, error.path)),
  );
  const errors = unexplained.map(
    (error) =>
      new GraphQLError(error.message, { path: error.path, originalError: new Error(`A subgraph answered a value its schema does not allow: ${error.message}`) }),
  );
  return {
    ...result,
    ...(errors.length || others.length ? { errors: [...others, ...errors] } : {}),
    extensions: Object.keys(extensions).length ? extensions : undefined,
  };
}
