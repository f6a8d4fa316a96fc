import type { ApolloServerPlugin } from "@apollo/server";
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLFormattedError,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  getDirectiveValues,
  Kind,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from "graphql";

type Path = (string | number)[];

/**
 * A subgraph call that failed as a whole (the service down, frozen, overloaded) as the errors of the
 * fields it was to answer, each with its `path`, as graphql-js reports a failing resolver: a member
 * read while the ledger is down answers `{ member: { displayName, balance: null } }` with an error at
 * `["member", "balance"]`, so a client (Apollo Client's errorPolicy "all", Relay) ties the null to its
 * cause. @apollo/gateway gives a thrown error no path; errors a data source returns at
 * `["_entities", i, field]` it places at entity i's own path. One error per field and entity: a list
 * of 100 members whose balances failed answers 100 errors, as 100 failing resolvers would.
 * Without a document (a query that did not parse) the error stays as it is, without a path.
 */
export function fieldErrorsOf(error: GraphQLFormattedError, document: DocumentNode | undefined, variables: Record<string, unknown> | undefined): GraphQLFormattedError[] {
  const operation = document?.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation) return [error];
  const fields = new FieldsOf(document!, variables ?? {});
  const at = (path: Path) => ({ message: error.message, path, extensions: error.extensions });
  const representations = variables?.representations;
  const entities = Array.isArray(representations) ? fields.entitiesSelection(operation.selectionSet) : undefined;
  if (!entities) {
    const keys = fields.keysOf(operation.selectionSet, null);
    return keys.length ? keys.map((key) => at([key])) : [error];
  }
  return (representations as { __typename?: unknown }[]).flatMap((representation, i) => {
    const keys = fields.keysOf(entities, typeof representation?.__typename === "string" ? representation.__typename : null);
    return keys.length ? keys.map((key) => at(["_entities", i, key])) : [at(["_entities", i])];
  });
}

/** The response keys a selection set gives an object of one type, through its fragments and @skip/@include. */
class FieldsOf {
  private readonly fragments = new Map<string, FragmentDefinitionNode>();

  constructor(document: DocumentNode, private readonly variables: Record<string, unknown>) {
    for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) this.fragments.set(d.name.value, d);
  }

  /** The selection inside `_entities(representations: …)`, the root field of every entity fetch. */
  entitiesSelection(selectionSet: SelectionSetNode): SelectionSetNode | undefined {
    for (const s of selectionSet.selections) if (s.kind === Kind.FIELD && s.name.value === "_entities" && this.included(s)) return s.selectionSet;
    return undefined;
  }

  /** `typename` null: every fragment applies (a root type's selection). `__typename` is never a failure. */
  keysOf(selectionSet: SelectionSetNode | undefined, typename: string | null, keys = new Set<string>()): string[] {
    for (const s of selectionSet?.selections ?? []) {
      if (!this.included(s)) continue;
      if (s.kind === Kind.FIELD) {
        if (s.name.value !== "__typename") keys.add(s.alias?.value ?? s.name.value);
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        if (this.applies(s.typeCondition?.name.value, typename)) this.keysOf(s.selectionSet, typename, keys);
      } else {
        const fragment = this.fragments.get(s.name.value);
        if (fragment && this.applies(fragment.typeCondition.name.value, typename)) this.keysOf(fragment.selectionSet, typename, keys);
      }
    }
    return [...keys];
  }

  private applies(condition: string | undefined, typename: string | null): boolean {
    return condition === undefined || typename === null || condition === typename;
  }

  /** graphql-js's own reading of @skip and @include, as its executor applies them. */
  private included(node: SelectionNode): boolean {
    if (getDirectiveValues(GraphQLSkipDirective, node, this.variables)?.if === true) return false;
    return getDirectiveValues(GraphQLIncludeDirective, node, this.variables)?.if !== false;
  }
}

/**
 * Errors whose paths stay inside the answer. A failed call's fields include some the gateway fetched
 * for itself, not for the client: a key for the next call, a `@requires` input, an `@inaccessible`
 * field (`ledgerDataExport` for `dataExport`). An error there would name what the client never asked
 * for, so it loses its path, and copies that then say the same thing merge into one. A path is checked
 * down to the first null on it (past a null propagated up, there is nothing to check against).
 */
export function errorsWithinAnswer(data: unknown, errors: readonly GraphQLFormattedError[]): GraphQLFormattedError[] {
  const stripped = new Set<string>();
  const kept: GraphQLFormattedError[] = [];
  for (const error of errors) {
    if (!error.path || reaches(data, error.path)) {
      kept.push(error);
      continue;
    }
    const { path: _outside, ...pathless } = error;
    const same = JSON.stringify([pathless.message, pathless.extensions?.code]);
    if (stripped.has(same)) continue;
    stripped.add(same);
    kept.push(pathless);
  }
  return kept;
}

function reaches(data: unknown, path: readonly (string | number)[]): boolean {
  let node = data;
  for (const key of path) {
    if (node === null || typeof node !== "object") return true;
    if (!Object.prototype.hasOwnProperty.call(node, key)) return false;
    node = (node as Record<string | number, unknown>)[key];
  }
  return true;
}

/** errorsWithinAnswer on every single-result answer that has errors. */
export function errorPathsWithinAnswer(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== "single" || !response.body.singleResult.errors?.length) return;
          const { data, errors } = response.body.singleResult;
          response.body.singleResult.errors = errorsWithinAnswer(data, errors);
        },
      };
    },
  };
}
