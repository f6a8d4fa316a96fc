import { normalizeEmail } from "../../subgraphs/members/src/member/member.service";

/** One address, one spelling (subgraphs/members/src/member/member.service.ts `normalizeEmail`). */
describe("normalizeEmail", () => {
  it("trims, lowers and composes: é typed as e plus a combining accent is the same address as é", () => {
    const composed = "jos\u00e9@example.com"; // é, one code point
    expect(normalizeEmail("  JOSE\u0301@Example.COM ")).toBe(composed); // E + U+0301 COMBINING ACUTE ACCENT
    expect(normalizeEmail("Jos\u00c9@example.com")).toBe(composed); // É, one code point
    expect(normalizeEmail(composed).length).toBe(16);
  });
});
