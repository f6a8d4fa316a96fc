import type { ApolloServerPlugin } from "@apollo/server";
import {
  type ASTVisitor,
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLError,
  Kind,
  type SelectionSetNode,
  type ValidationContext,
  getNullableType,
  getVariableValues,
  isListType,
} from "graphql";
import { type ComplexityEstimator, getComplexity } from "graphql-query-complexity";
import { intFromEnv } from "../../shared/src/config";

/**
 * Limits that keep hostile queries from reaching the subgraphs; each configurable, each with its own
 * code. Validation rules cannot set `code` (Apollo reports every validation error as
 * GRAPHQL_VALIDATION_FAILED), so they set `limitCode` and the gateway's error formatter promotes it.
 */
export const limits = () => ({
  maxDepth: intFromEnv("QUERY_MAX_DEPTH", 12),
  maxAliases: intFromEnv("QUERY_MAX_ALIASES", 30),
  maxCost: intFromEnv("QUERY_MAX_COST", 25_000),
  maxTokens: intFromEnv("QUERY_MAX_TOKENS", 5_000),
  /** Assumed length of a list field without a `first` argument. */
  defaultListSize: intFromEnv("QUERY_DEFAULT_LIST_SIZE", 20),
});

// Introspection (bounded by the schema, and switched off in production) is not counted.
const isIntrospection = (field: FieldNode) => field.name.value.startsWith("__");

function depthOf(selectionSet: SelectionSetNode | undefined, fragments: Record<string, FragmentDefinitionNode>, seen: Set<string>): number {
  if (!selectionSet) return 0;
  let deepest = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (isIntrospection(selection)) continue;
      deepest = Math.max(deepest, 1 + depthOf(selection.selectionSet, fragments, seen));
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      deepest = Math.max(deepest, depthOf(selection.selectionSet, fragments, seen));
    } else {
      const name = selection.name.value;
      if (seen.has(name) || !fragments[name]) continue; // cycles and unknown fragments are other rules' errors
      deepest = Math.max(deepest, depthOf(fragments[name].selectionSet, fragments, new Set([...seen, name])));
    }
  }
  return deepest;
}

export function depthLimit(maxDepth: number) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = Object.fromEntries(
      context.getDocument().definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
    );
    return {
      OperationDefinition(operation) {
        const depth = depthOf(operation.selectionSet, fragments, new Set());
        if (depth > maxDepth) {
          context.reportError(new GraphQLError(`Query is ${depth} levels deep; at most ${maxDepth} are allowed`, { extensions: { limitCode: "QUERY_TOO_DEEP", maxDepth } }));
        }
      },
    };
  };
}

export function aliasLimit(maxAliases: number) {
  return (context: ValidationContext): ASTVisitor => {
    let aliases = 0;
    return {
      Field(field) {
        if (field.alias) aliases++;
      },
      Document: {
        leave() {
          if (aliases > maxAliases) {
            context.reportError(new GraphQLError(`Query uses ${aliases} aliases; at most ${maxAliases} are allowed`, { extensions: { limitCode: "TOO_MANY_ALIASES", maxAliases } }));
          }
        },
      },
    };
  };
}

/** Each field costs 1; a list multiplies what is under it by its `first` argument (or the default list size). */
const listAware =
  (defaultListSize: number): ComplexityEstimator =>
  ({ field, args, childComplexity }) => {
    if (field.name.startsWith("__")) return 0;
    const size = isListType(getNullableType(field.type)) ? (typeof args.first === "number" ? Math.max(args.first, 0) : defaultListSize) : 1;
    return 1 + size * childComplexity;
  };

// Errors thrown from a plugin would otherwise be answered with HTTP 500.
const clientError = (message: string, extensions: Record<string, unknown>) => new GraphQLError(message, { extensions: { ...extensions, http: { status: 400 } } });

/**
 * Before execution: variables must fit their declared types (BAD_USER_INPUT, as a client mistake),
 * and the operation's estimated cost (rows it could fan out to) must be within the limit.
 */
export function costLimit(maxCost: number, defaultListSize: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema, operation }) {
          const coerced = getVariableValues(schema, operation?.variableDefinitions ?? [], request.variables ?? {});
          if (coerced.errors?.length) {
            throw clientError(coerced.errors.map((e) => e.message).join("; "), { code: "BAD_USER_INPUT" });
          }
          const cost = getComplexity({
            schema,
            query: document,
            variables: request.variables ?? {},
            operationName: request.operationName ?? undefined,
            estimators: [listAware(defaultListSize)],
          });
          if (cost > maxCost) {
            throw clientError(`Query could cost ${cost} (fields times list sizes); at most ${maxCost} is allowed: ask for smaller pages`, {
              code: "QUERY_TOO_COSTLY",
              cost,
              maxCost,
            });
          }
        },
      };
    },
  };
}
