import type { ApolloServerPlugin } from "@apollo/server";
import {
  type ASTNode,
  type ASTVisitor,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLSchema,
  Kind,
  type SelectionSetNode,
  type ValidationContext,
  type GraphQLNamedType,
  getNamedType,
  getNullableType,
  getVariableValues,
  isListType,
  isObjectType,
  visit,
} from "graphql";
import { type ComplexityEstimator, getComplexity } from "graphql-query-complexity";
import { loadSettings } from "../../shared/src/config";
import { type QueryLimits, readQueryLimits } from "./config";

/**
 * Limits that keep hostile queries from reaching the subgraphs; each configurable, each with its own
 * code. Validation rules cannot set `code` (Apollo reports every validation error as
 * GRAPHQL_VALIDATION_FAILED), so they set `limitCode` and the gateway's error formatter promotes it.
 */
export const limits = (): QueryLimits => loadSettings(readQueryLimits);

// Introspection (bounded by the schema, as it takes no aliases: aliasLimit; switched off in production) is not counted.
const isIntrospection = (field: FieldNode) => field.name.value.startsWith("__");

/**
 * How deep a selection set reaches, fragments expanded. A fragment's depth is the same wherever it is
 * spread, so it is computed once per document (`known`): without that, fragments that each spread the
 * next one twice cost 2^n steps to measure, and a few hundred bytes held the gateway's one thread for
 * minutes (hours at 30 fragments) before any limit could refuse them.
 */
function depthOf(selectionSet: SelectionSetNode | undefined, fragments: Record<string, FragmentDefinitionNode>, known: Map<string, number>, visiting: Set<string>): number {
  if (!selectionSet) return 0;
  let deepest = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (isIntrospection(selection)) continue;
      deepest = Math.max(deepest, 1 + depthOf(selection.selectionSet, fragments, known, visiting));
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      deepest = Math.max(deepest, depthOf(selection.selectionSet, fragments, known, visiting));
    } else {
      const name = selection.name.value;
      if (visiting.has(name) || !fragments[name]) continue; // cycles and unknown fragments are other rules' errors
      let depth = known.get(name);
      if (depth === undefined) {
        visiting.add(name);
        depth = depthOf(fragments[name].selectionSet, fragments, known, visiting);
        visiting.delete(name);
        known.set(name, depth);
      }
      deepest = Math.max(deepest, depth);
    }
  }
  return deepest;
}

export function depthLimit(maxDepth: number) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = Object.fromEntries(
      context.getDocument().definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
    );
    const known = new Map<string, number>();
    return {
      OperationDefinition(operation) {
        const depth = depthOf(operation.selectionSet, fragments, known, new Set());
        if (depth > maxDepth) {
          context.reportError(new GraphQLError(`Query is ${depth} levels deep; at most ${maxDepth} are allowed`, { extensions: { limitCode: "QUERY_TOO_DEEP", maxDepth } }));
        }
      },
    };
  };
}

/**
 * At most `maxAliases` aliases, and none on introspection (`__schema`, `__type` and every field under
 * them; `__typename` is not introspection of the schema). Introspection is not priced (above), and each
 * alias repeats it: 30 of them made a 1.5 KB request answer 15 MB, a hundred times the standard
 * introspection query, whose fields take no alias.
 */
export function aliasLimit(maxAliases: number) {
  return (context: ValidationContext): ASTVisitor => {
    let aliases = 0;
    let introspectionAliases = 0;
    return {
      Field(field) {
        if (!field.alias) return;
        aliases++;
        const name = field.name.value;
        if (name === "__schema" || name === "__type" || (name !== "__typename" && context.getParentType()?.name.startsWith("__"))) introspectionAliases++;
      },
      Document: {
        leave() {
          if (introspectionAliases > 0) {
            context.reportError(new GraphQLError(`Introspection takes no aliases (${introspectionAliases} found): each repeats the schema in the answer`, { extensions: { limitCode: "TOO_MANY_ALIASES", maxAliases: 0 } }));
          } else if (aliases > maxAliases) {
            context.reportError(new GraphQLError(`Query uses ${aliases} aliases; at most ${maxAliases} are allowed`, { extensions: { limitCode: "TOO_MANY_ALIASES", maxAliases } }));
          }
        },
      },
    };
  };
}

/** The arguments the estimator reads: the cost depends on their values, and on @include/@skip. */
const SIZE_ARGUMENT = "first";

/** Each field costs 1; a list multiplies what is under it by its `first` argument (or the default list size). */
const listAware =
  (defaultListSize: number): ComplexityEstimator =>
  ({ type, field, args, childComplexity }) => {
    if (field.name.startsWith("__")) return 0;
    const size = args[SIZE_ARGUMENT];
    // `first: null` (in the query or by a variable) runs with the argument's default page size, as the
    // subgraphs resolve it (`first ?? default`): priced at that default, not at defaultListSize (20),
    // which let five pages of 50 rewards pass as five of 20.
    const declared = field.args.find((argument) => argument.name === SIZE_ARGUMENT)?.defaultValue;
    const pageSize = typeof size === "number" ? Math.max(size, 0) : typeof declared === "number" ? Math.max(declared, 0) : defaultListSize;
    // A cursor connection is a list of `first` items: it counts as the list, and its `edges` once.
    if (isConnection(getNamedType(field.type))) return 1 + pageSize * childComplexity;
    if (isConnection(type) && field.name === "edges") return 1 + childComplexity;
    if (!isListType(getNullableType(field.type))) return 1 + childComplexity;
    return 1 + pageSize * childComplexity;
  };

/** Relay-style connections (`…Connection` with `edges`), such as Member.activity and membersConnection. */
const isConnection = (type: GraphQLNamedType) => isObjectType(type) && type.name.endsWith("Connection") && "edges" in type.getFields();

/**
 * The variables a document's cost can depend on: those inside a `first` argument or a directive
 * (@include/@skip decide which fields count), anywhere in the document, fragments included. Found
 * once per document; over-counting (a variable of another operation) only costs a cache miss.
 */
export function costVariables(document: DocumentNode): string[] {
  const names = new Set<string>();
  const collect = (node: ASTNode) => visit(node, { Variable: (variable) => void names.add(variable.name.value) });
  visit(document, {
    Argument: (argument) => void (argument.name.value === SIZE_ARGUMENT && collect(argument.value)),
    Directive: (directive) => void collect(directive),
    // A variable's definition (and its default) is not a use.
    VariableDefinition: () => false,
  });
  return [...names].sort();
}

/**
 * Costs by document (Apollo Server hands the same parsed document to every request with the same
 * query), operation and the values of exactly the variables the cost depends on: computing it was
 * about 7% of the gateway's CPU on recordPurchase, whose cost depends on none of its variables. A
 * cost is never reused for other values of those variables (`@include(if: $x)` off, then on, is
 * another cost), and a document keeps a bounded number of them.
 */
const MAX_COSTS_PER_DOCUMENT = 32;
/** Fields (fragments expanded) the estimator visits before it gives up (graphql-query-complexity's default). */
const MAX_QUERY_NODES = 10_000;
const knownCosts = new WeakMap<DocumentNode, { schema: GraphQLSchema; variables: string[]; costs: Map<string, number> }>();

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
          let known = knownCosts.get(document);
          if (known?.schema !== schema) knownCosts.set(document, (known = { schema, variables: costVariables(document), costs: new Map() }));
          // Coerced values: a default applied and the same value sent are one key.
          const values = coerced.coerced ?? {};
          const key = known.variables.length ? `${operationName}\n${JSON.stringify(known.variables.map((name) => values[name]))}` : operationName;
          let cost = known.costs.get(key);
          if (cost === undefined) {
            try {
              cost = getComplexity({
                schema,
                query: document,
                variables: request.variables ?? {},
                operationName: operationName || undefined,
                estimators: [listAware(defaultListSize)],
                maxQueryNodes: MAX_QUERY_NODES,
              });
            } catch (error) {
              // graphql-query-complexity gives up past MAX_QUERY_NODES fields (fragments expanded): too costly to
              // price is too costly. Thrown as it is, the error was answered 500 INTERNAL_SERVER_ERROR.
              if (!(error instanceof GraphQLError)) throw error;
              throw clientError(`Query has more than ${MAX_QUERY_NODES} fields once its fragments are expanded; at most ${maxCost} cost is allowed: ask for less`, {
                code: "QUERY_TOO_COSTLY",
                maxCost,
              });
            }
            if (known.costs.size < MAX_COSTS_PER_DOCUMENT) known.costs.set(key, cost);
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
