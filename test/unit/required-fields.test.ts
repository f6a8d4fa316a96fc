import { buildSchema, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from "graphql";
import { objectAt, requiredByOf } from "../../gateway/src/required-fields";

describe("requiredByOf", () => {
  it("maps each field a @requires names (its top-level field) to the fields requiring it, per type", () => {
    const sdl = `
      directive @join__field(graph: String, requires: String, external: Boolean) repeatable on FIELD_DEFINITION
      type Member {
        id: ID!
        tier: String @join__field(graph: "LEDGER")
        rewards: [String] @join__field(graph: "CATALOG", requires: "tier balance { available }")
        offers: [String] @join__field(graph: "CATALOG", requires: "tier")
        export: String @join__field(graph: "MEMBERS", requires: "ledgerExport")
      }
      type Partner { statement: String @join__field(graph: "LEDGER", requires: "name") }
      input Filter { tier: String }`;
    const requiredBy = requiredByOf(sdl);
    expect([...requiredBy.keys()]).toEqual(["Member", "Partner"]);
    expect(Object.fromEntries([...requiredBy.get("Member")!].map(([k, v]) => [k, [...v]]))).toEqual({
      tier: ["rewards", "offers"],
      balance: ["rewards"],
      ledgerExport: ["export"],
    });
    expect([...requiredBy.get("Partner")!.get("name")!]).toEqual(["statement"]);
  });
});

describe("objectAt", () => {
  const schema = buildSchema(`
    type Query { member(id: ID!): Member, members: [Member!]!, node: Node }
    interface Node { id: ID! }
    type Member implements Node { id: ID!, balance: Balance, rewards: [String], partner: Partner }
    type Partner implements Node { id: ID!, name: String }
    type Balance { available: Int }`);
  const at = (query: string, data: unknown, path: (string | number)[], variables: Record<string, unknown> = {}) => {
    const document = parse(query);
    const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === "OperationDefinition")!;
    const fragments = Object.fromEntries(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === "FragmentDefinition").map((d) => [d.name.value, d]));
    const found = objectAt(schema, operation, fragments, variables, data, path);
    return found && { typename: found.typename, keys: found.fields.map((f) => f.alias?.value ?? f.name.value) };
  };

  it("follows aliases and list indexes to the object's type and the client's fields there, fragments included", () => {
    const query = `{ m: member(id: "1") { id r: rewards ...F } all: members { ... on Member { balance { available } } } }
      fragment F on Member { partner { name } balance @skip(if: true) { available } }`;
    const data = { m: { id: "1", r: null, partner: null }, all: [{ balance: null }] };
    expect(at(query, data, ["m"])).toEqual({ typename: "Member", keys: ["id", "r", "partner"] });
    expect(at(query, data, ["all", 0])).toEqual({ typename: "Member", keys: ["balance"] });
    expect(at(query, data, [])).toEqual({ typename: "Query", keys: ["m", "all"] });
  });

  it("an abstract type is known by the answer's __typename, else not; a path off the operation is null", () => {
    const query = `{ node { __typename id ... on Member { rewards } } }`;
    expect(at(query, { node: { __typename: "Member", id: "1", rewards: null } }, ["node"])).toEqual({ typename: "Member", keys: ["__typename", "id", "rewards"] });
    expect(at(`{ node { id } }`, { node: { id: "1" } }, ["node"])).toEqual({ typename: null, keys: ["id"] });
    expect(at(`{ member(id: "1") { id } }`, { member: { id: "1" } }, ["nothing"])).toBeNull();
    expect(at(`{ member(id: "1") { id } }`, { member: { id: "1" } }, ["member", "id", "x"])).toBeNull();
  });
});
