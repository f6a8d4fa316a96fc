import { isOwnSubgraph, routingUrl, urlVariableOf } from "../../gateway/src/subgraph-routing";

describe("where the gateway sends a subgraph's requests", () => {
  it("names the override variable after the subgraph", () => {
    expect(urlVariableOf("members")).toBe("MEMBERS_URL");
    expect(urlVariableOf("inventory-v2")).toBe("INVENTORY_V2_URL");
    expect(urlVariableOf("Reviews.EU")).toBe("REVIEWS_EU_URL");
  });

  it("uses the supergraph's routing URL unless <NAME>_URL is set", () => {
    expect(routingUrl("members", "http://members.internal:8080/graphql", {})).toBe("http://members.internal:8080/graphql");
    expect(routingUrl("members", "http://members.internal:8080/graphql", { MEMBERS_URL: "http://localhost:4001/graphql" })).toBe("http://localhost:4001/graphql");
    expect(routingUrl("inventory-v2", "https://inv.example/graphql", { INVENTORY_V2_URL: "http://localhost:9000/graphql" })).toBe("http://localhost:9000/graphql");
    // An empty variable is unset.
    expect(routingUrl("ledger", "http://ledger:4004/graphql", { LEDGER_URL: "" })).toBe("http://ledger:4004/graphql");
  });

  it("refuses, naming the variable, an override that is not an http(s) URL and a subgraph with no usable URL", () => {
    expect(() => routingUrl("members", "http://a/graphql", { MEMBERS_URL: "members:4001" })).toThrow(/MEMBERS_URL must be an http\(s\) URL/);
    expect(() => routingUrl("inventory", undefined, {})).toThrow(/"inventory" has no routing URL in the supergraph: set INVENTORY_URL/);
    expect(() => routingUrl("inventory", "", {})).toThrow(/set INVENTORY_URL/);
    expect(() => routingUrl("inventory", "file:///etc/passwd", {})).toThrow(/not http\(s\).*set INVENTORY_URL/);
  });

  it("knows its own four subgraphs, and no other name", () => {
    for (const name of ["members", "partners", "catalog", "ledger"]) expect(isOwnSubgraph(name)).toBe(true);
    for (const name of ["inventory-v2", "Members", "", "constructor"]) expect(isOwnSubgraph(name)).toBe(false);
  });
});
