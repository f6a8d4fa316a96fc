import type { GatewayExecutionResult, GatewayInterface } from "@apollo/server-gateway-interface";
import { GraphQLError } from "graphql";

/**
 * A subgraph's value that its schema does not allow (a string where an Int belongs, null for a
 * non-null field) is an error of ours, answered as one. @apollo/gateway nulls such a field (and,
 * for a non-null one, its parent) and, when nothing else failed, says why only under
 * `extensions.valueCompletion`, with no `errors`: clients read `errors`, so `Reward.stock: null` (no
 * stock limit) or `data: null` came as a silent success. Each is moved to `errors` at its path, with
 * the cause as its original error, so the error formatter logs it with the request id and answers
 * INTERNAL_SERVER_ERROR, like any bug of ours.
 */
export function surfacingValueCompletion(gateway: GatewayInterface): GatewayInterface {
  return {
    onSchemaLoadOrUpdate: (callback) => gateway.onSchemaLoadOrUpdate(callback),
    stop: () => gateway.stop(),
    load: async (options) => {
      const loaded = await gateway.load(options);
      const { executor } = loaded;
      return executor ? { ...loaded, executor: async (requestContext) => withCompletionErrors(await executor(requestContext)) } : loaded;
    },
  };
}

export function withCompletionErrors(result: GatewayExecutionResult): GatewayExecutionResult {
  const { valueCompletion, ...extensions } = result.extensions ?? {};
  if (!Array.isArray(valueCompletion) || !valueCompletion.length) return result;
  const errors = valueCompletion.map(
    (error: GraphQLError) =>
      new GraphQLError(error.message, { path: error.path, originalError: new Error(`A subgraph answered a value its schema does not allow: ${error.message}`) }),
  );
  return { ...result, errors: [...(result.errors ?? []), ...errors], extensions: Object.keys(extensions).length ? extensions : undefined };
}
