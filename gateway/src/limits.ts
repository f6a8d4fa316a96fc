import type { ApolloServerPlugin } from "@apollo/server";
import {
  type ASTVisitor,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLSchema,
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

/**
 * Each field costs 1; a list multiplies what is under it by its `first` argument (or the default list
 * size). `onVariableSize` hears of a list whose size comes from a variable.
 */
const listAware =
  (defaultListSize: number, onVariableSize: () => void): ComplexityEstimator =>
  ({ field, args, childComplexity, node }) => {
    if (field.name.startsWith("__")) return 0;
    if (!isListType(getNullableType(field.type))) return 1 + childComplexity;
    if (node.arguments?.some((arg) => arg.name.value === "first" && arg.value.kind === Kind.VARIABLE)) onVariableSize();
    return 1 + (typeof args.first === "number" ? Math.max(args.first, 0) : defaultListSize) * childComplexity;
  };

/**
 * Costs of operations whose cost no variable changes, by document (Apollo Server hands the same parsed
 * document to every request with the same query): computing it was about 7% of the gateway's CPU on
 * recordPurchase.
 */
const fixedCosts = new WeakMap<DocumentNode, { schema: GraphQLSchema; byOperation: Map<string, number> }>();

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
          const operationName = request.operationName ?? "";
          let kept = fixedCosts.get(document);
          let cost = kept?.schema === schema ? kept.byOperation.get(operationName) : undefined;
          if (cost === undefined) {
            let fixed = true;
            cost = getComplexity({
              schema,
              query: document,
              variables: request.variables ?? {},
              operationName: operationName || undefined,
              estimators: [listAware(defaultListSize, () => (fixed = false))],
            });
            if (fixed) {
              if (kept?.schema !== schema) fixedCosts.set(document, (kept = { schema, byOperation: new Map() }));
              kept!.byOperation.set(operationName, cost);
            }
          }
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
