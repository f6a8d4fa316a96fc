import { readFileSync } from "node:fs";
import { join } from "node:path";
import { composeServices } from "@apollo/composition";
import { Supergraph } from "@apollo/federation-internals";
import {
  type GraphQLSchema,
  buildClientSchema,
  buildSchema,
  getIntrospectionQuery,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
  parse,
} from "graphql";
import { REPO_ROOT, SUBGRAPH_NAMES } from "../shared/src/config";
import { postGraphQL } from "../tools/stack/graphql-client";
import { gatewayUrl } from "./support/gateway";

/**
 * The public API documents itself for partner developers: every type, field, argument, input field
 * and enum value has a description, and every root field shows an example and says which errors it gives.
 */

const missing = (description: string | null | undefined) => !description?.trim();

/** Every element of the schema without a description, by path (`Query.member(id:)`), plus root fields without an example or without their errors. */
function undocumented(schema: GraphQLSchema): string[] {
  const problems: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    if (missing(type.description)) problems.push(type.name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (missing(field.description)) problems.push(`${type.name}.${field.name}`);
        for (const arg of field.args) if (missing(arg.description)) problems.push(`${type.name}.${field.name}(${arg.name}:)`);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) if (missing(field.description)) problems.push(`${type.name}.${field.name}`);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) if (missing(value.description)) problems.push(`${type.name}.${value.name}`);
    }
  }
  for (const root of [schema.getQueryType(), schema.getMutationType()]) {
    for (const field of Object.values(root?.getFields() ?? {})) {
      if (!field.description?.includes("```graphql")) problems.push(`${root!.name}.${field.name}: no example`);
      if (!field.description?.includes("Errors:")) problems.push(`${root!.name}.${field.name}: no errors`);
    }
  }
  return problems;
}

const committedApiSchema = () =>
  Supergraph.build(readFileSync(join(REPO_ROOT, "gateway", "supergraph.graphql"), "utf8")).apiSchema().toGraphQLJSSchema();

describe("schema descriptions", () => {
  it("the check finds what is missing", () => {
    const schema = buildSchema(`
      """Root."""
      type Query {
        """Has one, but no example."""
        a(x: Int): Thing
        """Errors: none. An example: \`\`\`graphql { b }\`\`\`"""
        b: Int
      }
      type Thing { """Documented.""" b: Int, c: Kind }
      """Kinds."""
      enum Kind { """One.""" ONE TWO }
      input Filter { d: Int }
    `);
    expect(undocumented(schema).sort()).toEqual(["Filter", "Filter.d", "Kind.TWO", "Query.a(x:)", "Query.a: no example", "Query.a: no errors", "Thing", "Thing.c"].sort());
  });

  it("every element of the committed supergraph's API schema is described, and every root field has an example and its errors", () => {
    const schema = committedApiSchema();
    expect(Object.keys(schema.getQueryType()!.getFields())).toContain("memberByEmail");
    expect(undocumented(schema)).toEqual([]);
  });

  it("subgraphs describe the types they share in the same words (composition would keep one and hint)", () => {
    const result = composeServices(
      SUBGRAPH_NAMES.map((name) => ({ name, typeDefs: parse(readFileSync(join(REPO_ROOT, "subgraphs", name, "schema.graphql"), "utf8")), url: `http://${name}` })),
    );
    expect(result.errors).toBeUndefined();
    const inconsistent = (result.hints ?? []).filter((hint) => hint.definition.code === "INCONSISTENT_DESCRIPTION").map((hint) => hint.message);
    expect(inconsistent).toEqual([]);
  });

  it("introspection through the gateway works and carries every description", async () => {
    const result = await postGraphQL(gatewayUrl(), getIntrospectionQuery());
    expect(result.errors).toBeUndefined();
    const schema = buildClientSchema(result.data as never);
    expect(undocumented(schema)).toEqual([]);
    expect(schema.getQueryType()!.getFields().member.description).toBe(committedApiSchema().getQueryType()!.getFields().member.description);
  });
});
