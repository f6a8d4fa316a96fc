import { gatewayUrl } from "./support/gateway";

/** A request whose body is given as text (JSON.stringify itself cannot write values this deep). */
async function postRaw(body: string): Promise<{ status: number; codes: unknown[] }> {
  const response = await fetch(gatewayUrl(), { method: "POST", headers: { "content-type": "application/json" }, body });
  const answer = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
  return { status: response.status, codes: answer.errors?.map((error) => error.extensions?.code) ?? [] };
}

const nested = (depth: number, open: string, close: string, inner = "") => open.repeat(depth) + inner + close.repeat(depth);

/**
 * Variables are anyone's JSON. The storable-text check walked them by recursion, so a few thousand
 * nested arrays or objects (about 8 KB, well within REQUEST_MAX_BYTES) overflowed the call stack: an
 * anonymous request answered 500 INTERNAL_SERVER_ERROR ("Maximum call stack size exceeded"), the code
 * README keeps for our bugs.
 */
describe("deeply nested variables", () => {
  it("a variable the operation does not use, however deep, changes nothing", async () => {
    const deepArrays = await postRaw(`{"query":"{ partners { id } }","variables":{"x":${nested(40_000, "[", "]")}}}`);
    const deepObjects = await postRaw(`{"query":"{ partners { id } }","variables":{"x":${nested(15_000, '{"a":', "}", "1")}}}`);
    expect([deepArrays, deepObjects]).toEqual([
      { status: 200, codes: [] },
      { status: 200, codes: [] },
    ]);
  });

  it("a deep value of a declared variable is BAD_USER_INPUT, and unstorable text deep inside is found", async () => {
    expect(await postRaw(`{"query":"query($p: ID) { rewards(partnerId: $p) { id } }","variables":{"p":${nested(40_000, "[", "]")}}}`)).toEqual({
      status: 400,
      codes: ["BAD_USER_INPUT"],
    });
    expect(await postRaw(`{"query":"{ partners { id } }","variables":{"x":${nested(10_000, "[", "]", '"a\\u0000"')}}}`)).toEqual({ status: 400, codes: ["BAD_USER_INPUT"] });
  });
});
