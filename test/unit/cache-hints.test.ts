import { type FieldNode, type OperationDefinitionNode, parse } from "graphql";
import { selectsOnly } from "../../shared/src/cache-hints";

/** The `member` field's nodes of a query, as a resolver's `info.fieldNodes` has them. */
const memberNodes = (query: string) => {
  const operation = parse(query).definitions[0] as OperationDefinitionNode;
  return { fieldNodes: operation.selectionSet.selections.filter((s): s is FieldNode => s.kind === "Field" && s.name.value === "member") };
};

describe("selectsOnly", () => {
  it("is true for the gateway's existence check: id, with or without __typename", () => {
    expect(selectsOnly(memberNodes(`{ member(id: "a") { __typename id } }`), ["id"])).toBe(true);
    expect(selectsOnly(memberNodes(`{ member(id: "a") { id } }`), ["id"])).toBe(true);
  });

  it("is false as soon as anything else is selected, a fragment included", () => {
    expect(selectsOnly(memberNodes(`{ member(id: "a") { id displayName } }`), ["id"])).toBe(false);
    expect(selectsOnly(memberNodes(`{ member(id: "a") { id ... on Member { email } } }`), ["id"])).toBe(false);
    expect(selectsOnly(memberNodes(`{ member(id: "a") { ...F } } fragment F on Member { id }`), ["id"])).toBe(false);
  });

  it("reads every place the field is selected (merged nodes): one with more fields makes it false", () => {
    expect(selectsOnly(memberNodes(`{ member(id: "a") { id } member(id: "a") { tier } }`), ["id"])).toBe(false);
    expect(selectsOnly(memberNodes(`{ member(id: "a") { id } member(id: "a") { __typename } }`), ["id"])).toBe(true);
  });
});
