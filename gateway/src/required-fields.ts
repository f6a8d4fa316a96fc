import {
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLInterfaceType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
  getDirectiveValues,
  getNamedType,
  isObjectType,
  isInterfaceType,
  parse,
} from "graphql";

/**
 * Which fields need which: for each type, each field a `@requires` names (its top-level field) and the
 * fields that require it. From the supergraph: catalog's `Member.eligibleRewards` requires "tier
 * balance { available }" (so `tier` → eligibleRewards, `balance` → eligibleRewards), members'
 * `Member.dataExport` requires "ledgerDataExport catalogDataExport partnersDataExport".
 */
export type RequiredBy = Map<string, Map<string, Set<string>>>;

export function requiredByOf(supergraphSdl: string): RequiredBy {
  const requiredBy: RequiredBy = new Map();
  for (const definition of parse(supergraphSdl).definitions) {
    if (!("fields" in definition) || !("name" in definition) || !definition.name || definition.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION) continue;
    for (const field of definition.fields ?? []) {
      for (const directive of field.directives ?? []) {
        if (directive.name.value !== "join__field") continue;
        const requires = directive.arguments?.find((a) => a.name.value === "requires")?.value;
        if (requires?.kind !== Kind.STRING) continue;
        const selection = (parse(`{ ${requires.value} }`).definitions[0] as OperationDefinitionNode).selectionSet;
        const ofType = requiredBy.get(definition.name.value) ?? new Map<string, Set<string>>();
        requiredBy.set(definition.name.value, ofType);
        for (const s of selection.selections) {
          if (s.kind !== Kind.FIELD) continue;
          const dependents = ofType.get(s.name.value) ?? new Set<string>();
          dependents.add(field.name.value);
          ofType.set(s.name.value, dependents);
        }
      }
    }
  }
  return requiredBy;
}

/** The object a response path leads to: its type (null: not known, an abstract type without __typename) and the client's fields there. */
export interface ObjectAt {
  typename: string | null;
  fields: FieldNode[];
}

/**
 * Follows a response path (response keys and list indexes) through the client's operation and the
 * API schema, to the type and the selected fields of the object at its end. Null where the path
 * leaves the operation.
 */
export function objectAt(schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: Record<string, FragmentDefinitionNode>, variables: Record<string, unknown>, data: unknown, path: readonly (string | number)[]): ObjectAt | null {
  let type: GraphQLObjectType | GraphQLInterfaceType | null = schema.getRootType(operation.operation) ?? null;
  let selectionSets: readonly SelectionSetNode[] = [operation.selectionSet];
  let node = data;
  for (const key of path) {
    node = node !== null && typeof node === "object" ? (node as Record<string | number, unknown>)[key] : undefined;
    if (typeof key === "number") continue;
    if (!type) return null;
    const matching = fieldsIn(selectionSets, fragments, variables).filter((f) => (f.alias?.value ?? f.name.value) === key);
    const definition: GraphQLField<unknown, unknown> | undefined = isObjectType(type) || isInterfaceType(type) ? type.getFields()[matching[0]?.name.value ?? ""] : undefined;
    if (!definition) return null;
    const named: GraphQLNamedType = getNamedType(definition.type);
    const concrete = node !== null && typeof node === "object" && !Array.isArray(node) ? (node as { __typename?: unknown }).__typename : undefined;
    const resolved: GraphQLNamedType | undefined = typeof concrete === "string" ? schema.getType(concrete) : named;
    type = isObjectType(resolved) || isInterfaceType(resolved) ? resolved : null;
    selectionSets = matching.flatMap((f) => (f.selectionSet ? [f.selectionSet] : []));
  }
  return { typename: type && isObjectType(type) ? type.name : null, fields: fieldsIn(selectionSets, fragments, variables) };
}

/** Every field node of these selection sets, through fragments (of any type condition) and @skip/@include. */
function fieldsIn(selectionSets: readonly SelectionSetNode[], fragments: Record<string, FragmentDefinitionNode>, variables: Record<string, unknown>): FieldNode[] {
  const fields: FieldNode[] = [];
  const visit = (set: SelectionSetNode) => {
    for (const s of set.selections) {
      if (!included(s, variables)) continue;
      if (s.kind === Kind.FIELD) fields.push(s);
      else if (s.kind === Kind.INLINE_FRAGMENT) visit(s.selectionSet);
      else if (fragments[s.name.value]) visit(fragments[s.name.value].selectionSet);
    }
  };
  for (const set of selectionSets) visit(set);
  return fields;
}

/** graphql-js's own reading of @skip and @include, as its executor applies them. */
export function included(node: SelectionNode, variables: Record<string, unknown>): boolean {
  if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false;
}
