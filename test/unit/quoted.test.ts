import { quoted } from "../../shared/src/quoted";

describe("quoted: a client's value in an error message", () => {
  it("quotes a value of up to 100 characters whole", () => {
    expect(quoted("abc")).toBe('"abc"');
    expect(quoted("")).toBe('""');
    expect(quoted("x".repeat(100))).toBe(`"${"x".repeat(100)}"`);
  });

  it("cuts a longer one after 100 characters and says how long it was", () => {
    expect(quoted("x".repeat(101))).toBe(`"${"x".repeat(100)}…" (101 characters)`);
    expect(quoted("y".repeat(100_000))).toBe(`"${"y".repeat(100)}…" (100000 characters)`);
    expect(quoted("abcdef", 3)).toBe('"abc…" (6 characters)');
  });

  it("counts and cuts code points, never half of an emoji", () => {
    expect(quoted("😀😀😀😀", 3)).toBe('"😀😀😀…" (4 characters)');
    expect(quoted("😀😀😀", 3)).toBe('"😀😀😀"');
  });
});
