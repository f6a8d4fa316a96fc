import { refundKeys } from "../../subgraphs/ledger/src/reversal/refund-keys";

/** A refund's idempotency key (subgraphs/ledger/src/reversal/refund-keys.ts), worked out by hand. */
describe("refund keys", () => {
  it("keep the form every refund was stored under where it is unambiguous", () => {
    expect(refundKeys("P", "R", null, 500)).toEqual({ key: "reversal:P:R:amount-500", legacy: null });
    expect(refundKeys("P", "R", "refund-7", 500)).toEqual({ key: "reversal:P:R:refund-7", legacy: null });
  });

  it("encode the parts after '~' where the old form was ambiguous, and name that old form", () => {
    // ["R:b","c",null] in base64url: the receipt "R:b" with refund id "c" is no longer "reversal:P:R:b:c" (receipt "R", refund id "b:c").
    expect(refundKeys("P", "R:b", "c", 500)).toEqual({ key: "reversal:P:~WyJSOmIiLCJjIixudWxsXQ", legacy: "reversal:P:R:b:c" });
    // ["R","b:c",null]: a refund id with ':' is encoded too (one "A:bonus:<id>" was refund "A"'s reversal of that bonus).
    expect(refundKeys("P", "R", "b:c", 500)).toEqual({ key: "reversal:P:~WyJSIiwiYjpjIixudWxsXQ", legacy: "reversal:P:R:b:c" });
    expect(refundKeys("P", "R", "A:bonus:B", 500)).toEqual({ key: "reversal:P:~WyJSIiwiQTpib251czpCIixudWxsXQ", legacy: "reversal:P:R:A:bonus:B" });
    // ["R","amount-500",null]: a refund id "amount-500" is not the unnamed refund of 500 ("reversal:P:R:amount-500").
    expect(refundKeys("P", "R", "amount-500", 500)).toEqual({ key: "reversal:P:~WyJSIiwiYW1vdW50LTUwMCIsbnVsbF0", legacy: "reversal:P:R:amount-500" });
  });
});
