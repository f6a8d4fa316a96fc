import { buildSchema, parse, validate } from "graphql";
import { depthLimit } from "../../gateway/src/limits";

/** The depth rule measures a document in time linear in its size, fragments included. */
describe("depthLimit and fragments spread many times", () => {
  const schema = buildSchema(`type Query { a: Query b: Int }`);
  const bomb = (n: number) => {
    let document = "query Q { ...F0 }\n";
    for (let i = 0; i < n; i++) document += `fragment F${i} on Query { a { ...F${i + 1} } ...F${i + 1} }\n`;
    return document + `fragment F${n} on Query { b }\n`;
  };

  it("measures 22 fragments that each spread the next twice in well under a second", () => {
    const start = Date.now();
    const errors = validate(schema, parse(bomb(22)), [depthLimit(12)]);
    expect(Date.now() - start).toBeLessThan(1_000);
    // One `a` per fragment on the deepest path: 22 levels, then `b`.
    expect(errors.map((error) => error.message)).toEqual(["Query is 23 levels deep; at most 12 are allowed"]);
  });

  it("still measures the deepest path through fragments", () => {
    expect(validate(schema, parse(bomb(5)), [depthLimit(12)])).toEqual([]);
    expect(validate(schema, parse(`{ ...A } fragment A on Query { a { ...B } } fragment B on Query { a { a { b } } }`), [depthLimit(4)]).map((e) => e.message)).toEqual([]);
    expect(validate(schema, parse(`{ ...A } fragment A on Query { a { ...B } } fragment B on Query { a { a { b } } }`), [depthLimit(2)]).map((e) => e.message)).toEqual(["Query is 4 levels deep; at most 2 are allowed"]);
  });
});
