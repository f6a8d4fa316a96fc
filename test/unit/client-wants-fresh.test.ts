import { wantsFreshAnswer } from "../../gateway/src/cache-control";

/**
 * Which requests bypass the gateway's caches (the public entities and the private answers): those whose
 * headers ask any cache for a fresh answer (RFC 9111 section 5.2.1; Pragma, section 5.4).
 */
describe("wantsFreshAnswer (a client's request headers)", () => {
  const headers = (entries: Record<string, string>) => new Map(Object.entries(entries));

  it("is false for an ordinary request, or directives that do not ask for a fresh answer", () => {
    expect(wantsFreshAnswer(headers({}))).toBe(false);
    expect(wantsFreshAnswer(headers({ "cache-control": "max-age=60" }))).toBe(false);
    expect(wantsFreshAnswer(headers({ "cache-control": "max-stale, no-transform" }))).toBe(false);
    expect(wantsFreshAnswer(headers({ "cache-control": "min-fresh=10" }))).toBe(false);
    // A token that only contains a directive's name is not that directive.
    expect(wantsFreshAnswer(headers({ "cache-control": "x-no-cache-please" }))).toBe(false);
    expect(wantsFreshAnswer(headers({ "cache-control": "max-age=01" }))).toBe(false);
  });

  it("is true for no-cache, no-store and max-age=0, in any case, among other directives, quoted or not", () => {
    for (const value of ["no-cache", "no-store", "max-age=0", "NO-CACHE", "No-Store", "max-stale, no-cache", "max-age = 0", 'max-age="0"', "max-age=00", 'no-cache="set-cookie"']) {
      expect([value, wantsFreshAnswer(headers({ "cache-control": value }))]).toEqual([value, true]);
    }
  });

  it("reads Pragma: no-cache (HTTP/1.0 clients) only when there is no Cache-Control", () => {
    expect(wantsFreshAnswer(headers({ pragma: "no-cache" }))).toBe(true);
    expect(wantsFreshAnswer(headers({ pragma: "No-Cache" }))).toBe(true);
    expect(wantsFreshAnswer(headers({ pragma: "x-other" }))).toBe(false);
    expect(wantsFreshAnswer(headers({ pragma: "no-cache", "cache-control": "max-age=60" }))).toBe(false);
    expect(wantsFreshAnswer(headers({ pragma: "no-cache", "cache-control": "no-store" }))).toBe(true);
  });

  it("is false without headers (a call the gateway makes itself)", () => {
    expect(wantsFreshAnswer(undefined)).toBe(false);
  });
});
