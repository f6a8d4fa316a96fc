import type { ApolloServerPlugin } from "@apollo/server";
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import { type RequiredBy, included, objectAt, requiredByOf } from "./required-fields";

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
    for (const s of selectionSet.selections) if (s.kind === Kind.FIELD && s.name.value === "_entities" && included(s, this.variables)) return s.selectionSet;
    return undefined;
  }

  /** `typename` null: every fragment applies (a root type's selection). `__typename` is never a failure. */
  keysOf(selectionSet: SelectionSetNode | undefined, typename: string | null, keys = new Set<string>()): string[] {
    for (const s of selectionSet?.selections ?? []) {
      if (!included(s, this.variables)) continue;
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
}

/** The paths of the client's fields that needed a missing key (`parent`: the path of the object without it). */
export type Dependents = (parent: Path, key: string) => Path[];

/**
 * Errors whose paths stay inside the answer. A failed call's fields include some the gateway fetched
 * for itself, not for the client: a key for the next call, a `@requires` input, an `@inaccessible`
 * field (`ledgerDataExport` for `dataExport`). An error there would name what the client never asked
 * for. Where a field the client asked for required it and was left null for want of it
 * (`dependents`: `eligibleRewards` needs the ledger's `tier`), the error moves to that field's path;
 * otherwise it loses its path. Copies that then say the same thing at the same place merge into one.
 * A path is checked down to the first null on it (past a null propagated up, there is nothing to
 * check against).
 */
export function errorsWithinAnswer(data: unknown, errors: readonly GraphQLFormattedError[], dependents: Dependents = () => []): GraphQLFormattedError[] {
  const seen = new Set<string>();
  const kept: GraphQLFormattedError[] = [];
  const add = (error: GraphQLFormattedError) => {
    const same = JSON.stringify([error.message, error.extensions?.code, error.path ?? null]);
    if (!seen.has(same)) kept.push(error);
    seen.add(same);
  };
  for (const error of errors) {
    const missing = error.path ? missingAt(data, error.path) : -1;
    if (missing < 0) {
      kept.push(error);
      continue;
    }
    const { path, ...pathless } = error;
    const key = path![missing];
    const moved = typeof key === "string" ? dependents(path!.slice(0, missing), key) : [];
    if (!moved.length) add(pathless);
    for (const to of moved) add({ ...pathless, path: to });
  }
  return kept;
}

/** Where a path leaves the answer: the index of the first key its object lacks, or -1 (it stays inside, or meets a null first). */
function missingAt(data: unknown, path: readonly (string | number)[]): number {
  let node = data;
  for (const [i, key] of path.entries()) {
    if (node === null || typeof node !== "object") return -1;
    if (!Object.prototype.hasOwnProperty.call(node, key)) return i;
    node = (node as Record<string | number, unknown>)[key];
  }
  return -1;
}

/** A supergraph that cannot be read here (moved, unreadable) leaves every such error without a path, as before, rather than failing the answer. */
function readRequiredBy(supergraphSdl: () => string): RequiredBy {
  try {
    return requiredByOf(supergraphSdl());
  } catch {
    return new Map();
  }
}

/**
 * errorsWithinAnswer on every single-result answer that has errors, with the fields that require
 * others read from the supergraph (`supergraphSdl`, read again when the gateway's schema changes).
 */
export function errorPathsWithinAnswer(supergraphSdl: () => string): ApolloServerPlugin {
  const requiredBySchema = new WeakMap<GraphQLSchema, RequiredBy>();
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, schema, document, operation, request }) {
          if (response.body.kind !== "single" || !response.body.singleResult.errors?.length) return;
          const { data, errors } = response.body.singleResult;
          let requiredBy = requiredBySchema.get(schema);
          if (!requiredBy) requiredBySchema.set(schema, (requiredBy = readRequiredBy(supergraphSdl)));
          const fragments = Object.fromEntries((document?.definitions ?? []).flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d]] : [])));
          const dependents: Dependents = (parent, key) => {
            const at = operation ? objectAt(schema, operation, fragments, request.variables ?? {}, data, parent) : null;
            const names = at?.typename ? requiredBy!.get(at.typename)?.get(key) : undefined;
            if (!at || !names) return [];
            const object = parent.reduce<unknown>((node, k) => (node as Record<string | number, unknown>)?.[k], data) as Record<string, unknown> | null;
            const keys = new Set(at.fields.filter((f) => names.has(f.name.value)).map((f) => f.alias?.value ?? f.name.value));
            return [...keys].filter((k) => object?.[k] === null).map((k) => [...parent, k]);
          };
          response.body.singleResult.errors = errorsWithinAnswer(data, errors, dependents);
        },
      };
    },
  };
}
