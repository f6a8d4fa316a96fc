import { parse } from "graphql";
import { costVariables } from "../../gateway/src/limits";
import { MESSAGE_MAX_CHARACTERS, shortened } from "../../shared/src/errors";
import { pathOfInfiniteNumber, pathOfUnstorableText } from "../../shared/src/input-guard";
import { isUuid, pageSize, requireDecimal, requireId, requireInt, requireText } from "../../shared/src/validation";

describe("shared/src/input-guard", () => {
  it("finds the first key or value holding a NUL or an unpaired surrogate, and passes paired ones", () => {
    expect(pathOfUnstorableText({ input: { reference: "r-1", name: "\u{1F600} caf\u00e9" } })).toBeNull();
    expect(pathOfUnstorableText({ input: { reference: "r-\ud800" } })).toBe("input.reference"); // a high surrogate alone
    expect(pathOfUnstorableText({ input: { reference: "\udfffr" } })).toBe("input.reference"); // a low one alone
    expect(pathOfUnstorableText({ ids: ["a", "\ude00\ud83d"] })).toBe("ids[1]"); // a pair in the wrong order is two unpaired
    expect(pathOfUnstorableText({ input: { name: "Ada\u0000" } })).toBe("input.name");
    expect(pathOfUnstorableText({ "k\u0000": 1 })).toBe("(value)"); // a key at the top
    expect(pathOfUnstorableText("\ud83d\ude00")).toBeNull();
  });

  it("finds the first number too large for a double (JSON's 1e400 is Infinity), and passes large finite ones", () => {
    expect(pathOfInfiniteNumber(JSON.parse(`{"input":{"a":1e300,"b":-0,"c":"1e400"}}`))).toBeNull();
    expect(pathOfInfiniteNumber(JSON.parse(`{"input":{"a":1,"cap":1e400}}`))).toBe("input.cap");
    expect(pathOfInfiniteNumber(JSON.parse(`{"ids":[1,-1e400]}`))).toBe("ids[1]");
  });
});

describe("shared/src/errors shortened", () => {
  it("keeps a message of up to 1,000 characters, and of a longer one its first 800 and last 200", () => {
    expect(MESSAGE_MAX_CHARACTERS).toBe(1_000);
    const fits = { message: "m".repeat(1_000) };
    expect(shortened(fits)).toBe(fits);
    // 800 + 5,000 + 200 = 6,000 characters: 5,000 are left out.
    const { message } = shortened({ message: `${"a".repeat(800)}${"x".repeat(5_000)}${"z".repeat(200)}`, path: ["p"] });
    expect(message).toBe(`${"a".repeat(800)}… (5000 characters left out) …${"z".repeat(200)}`);
  });
});

describe("shared/src/validation", () => {
  it("ids are UUIDs, lower-cased", () => {
    expect(isUuid("0b5e1f3c-2a4d-4e6f-8a1b-9c0d1e2f3a4b")).toBe(true);
    expect(isUuid("not-an-id")).toBe(false);
    expect(requireId("0B5E1F3C-2A4D-4E6F-8A1B-9C0D1E2F3A4B", "memberId")).toBe("0b5e1f3c-2a4d-4e6f-8a1b-9c0d1e2f3a4b");
    expect(() => requireId("nope", "memberId")).toThrow(/memberId must be an id/);
  });

  it("decimals: at most 4 places as written, although 0.57 × 10,000 is 5,699.999999999999 in binary", () => {
    const rate = (value: number) => requireDecimal(value, "pointsPerUnit", { above: 0, max: 1000, decimals: 4 });
    for (const value of [0.57, 1.13, 0.0003, 1.005, 2.01, 0.07, 0.0001, 1000, 999.9999]) expect(rate(value)).toBe(value);
    // 1e-300 is above 0, but it is 0 once written with 4 decimals: refused (it reached the database's check).
    for (const value of [0, -1, 1000.0001, 0.00005, 1.00001, 0.123456, Number.NaN, Number.POSITIVE_INFINITY, 1e-300, 5e-324, 1e-11]) {
      expect(() => rate(value)).toThrow("pointsPerUnit must be greater than 0 and at most 1000, with at most 4 decimals");
    }
  });

  it("text is trimmed and bounded; numbers whole and in range; pages 1 to 100", () => {
    expect(requireText("  Ada  ", "displayName")).toBe("Ada");
    expect(() => requireText("   ", "displayName")).toThrow(/must not be empty/);
    expect(() => requireText("x".repeat(201), "displayName")).toThrow(/at most 200/);
    // 200 emoji are 200 characters (400 UTF-16 units): accepted; 201 are not.
    expect(requireText("\u{1F600}".repeat(200), "displayName")).toHaveLength(400);
    expect(() => requireText("\u{1F600}".repeat(201), "displayName")).toThrow(/at most 200/);
    expect(requireInt(5, "n", { min: 1, max: 5 })).toBe(5);
    expect(() => requireInt(1.5, "n", { min: 1, max: 5 })).toThrow(/whole number/);
    expect(() => requireInt(6, "n", { min: 1, max: 5 })).toThrow(/between 1 and 5/);
    expect(pageSize(100)).toBe(100);
    expect(() => pageSize(0)).toThrow();
    expect(() => pageSize(101)).toThrow();
  });
});

describe("gateway/src/limits costVariables", () => {
  it("finds the variables a cost depends on: in `first` and in directives, fragments included, not their definitions", () => {
    const document = parse(`
      query Q($n: Int = 5, $show: Boolean!, $email: String!, $unused: Int) {
        memberByEmail(email: $email) { ...F activity(first: $n) { edges { node { id } } } }
      }
      fragment F on Member { balance @include(if: $show) { available } }`);
    expect(costVariables(document)).toEqual(["n", "show"]);
    expect(costVariables(parse(`mutation { recordPurchase(input: { reference: "r" }) { id } }`))).toEqual([]);
  });
});
