import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type GraphQLSchema, TypeInfo, buildSchema, getNamedType, isInterfaceType, isObjectType, parse, visit, visitWithTypeInfo } from "graphql";

/** The public API schema clients build against (`npm run compose` writes it). */
export const apiSchema = (): GraphQLSchema => buildSchema(readFileSync(join(__dirname, "..", "..", "gateway", "schema.graphql"), "utf8"));

/**
 * Types selected without their `id` in a document: each selection set on an object or interface type
 * that has an `id` field must select it, or Apollo Client and urql's graphcache cannot normalise the
 * object (README, "Frontend clients": "select it, as every example here does").
 */
export function typesSelectedWithoutId(schema: GraphQLSchema, document: string): string[] {
  const info = new TypeInfo(schema);
  const missing: string[] = [];
  visit(
    parse(document),
    visitWithTypeInfo(info, {
      SelectionSet(node) {
        const type = getNamedType(info.getParentType() ?? undefined);
        if (!type || !(isObjectType(type) || isInterfaceType(type)) || !type.getFields().id) return;
        if (!node.selections.some((selection) => selection.kind === "Field" && selection.name.value === "id")) missing.push(type.name);
      },
    }),
  );
  return missing;
}
