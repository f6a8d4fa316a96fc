import { getIntrospectionQuery } from "graphql";
import { gatewayUrl } from "./support/gateway";

async function post(query: string): Promise<{ status: number; bytes: number; codes: unknown[] }> {
  const response = await fetch(gatewayUrl(), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });
  const text = await response.text();
  const answer = JSON.parse(text) as { errors?: { extensions?: { code?: string } }[] };
  return { status: response.status, bytes: text.length, codes: answer.errors?.map((error) => error.extensions?.code) ?? [] };
}

/** Each alias repeats the introspection under it: 30 of them (QUERY_MAX_ALIASES) over the schema's types, fields and their types. */
function aliasedIntrospection(): string {
  let document = `{ ${Array.from({ length: 30 }, (_, i) => `a${i}: __schema { types { ...T0 } }`).join(" ")} }\n`;
  document += `fragment T0 on __Type { name fields { name args { name type { ...W } } type { ...U1 } } }\n`;
  document += `fragment U1 on __Type { ...T1 ofType { ...T1 ofType { ...T1 ofType { ...T1 } } } }\n`;
  document += `fragment T1 on __Type { name fields { name args { name type { ...W } } type { ...U2 } } }\n`;
  document += `fragment U2 on __Type { ...T2 ofType { ...T2 ofType { ...T2 ofType { ...T2 } } } }\n`;
  document += `fragment T2 on __Type { name kind description enumValues { name description } }\n`;
  return document + `fragment W on __Type { name kind ofType { name kind ofType { name kind ofType { name kind } } } }\n`;
}

/**
 * Introspection is not priced (the cost limit counts it 0, "bounded by the schema"), but aliases repeat
 * it: with introspection on (outside production, or ENABLE_INTROSPECTION=1), an anonymous 1.5 KB
 * request answered 15 MB, a second or more of the gateway's one thread, a hundred times the standard
 * introspection query's answer.
 */
describe("introspection and aliases", () => {
  it("an alias inside introspection is refused before execution; the standard introspection query is answered", async () => {
    expect(await post(aliasedIntrospection())).toEqual({ status: 400, bytes: expect.any(Number), codes: ["TOO_MANY_ALIASES"] });
    expect(await post(`{ __schema { queryType { name } } t: __type(name: "Member") { name } }`)).toMatchObject({ status: 400, codes: ["TOO_MANY_ALIASES"] });
    const standard = await post(getIntrospectionQuery());
    expect({ status: standard.status, codes: standard.codes, under1MB: standard.bytes < 1_000_000 }).toEqual({ status: 200, codes: [], under1MB: true });
    // __typename is no introspection of the schema: aliases of it stay as they were.
    expect(await post(`{ a: __typename b: __typename partners { c: __typename } }`)).toMatchObject({ status: 200, codes: [] });
  });
});
