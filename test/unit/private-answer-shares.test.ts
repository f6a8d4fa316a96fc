import { expiriesAfter } from "../../gateway/src/entity-cache";

describe("expiriesAfter (a caller's share of the private answers)", () => {
  it("adds the new answer's expiry while fewer than max are kept", () => {
    expect(expiriesAfter(undefined, 700, 100, 2)).toEqual([700]);
    expect(expiriesAfter([700], 800, 200, 2)).toEqual([700, 800]);
  });

  it("refuses one more once max are kept at now", () => {
    expect(expiriesAfter([700, 800], 900, 300, 2)).toBeNull();
    // At 700 the first has just expired (kept while expires > now): room for one.
    expect(expiriesAfter([700, 800], 1_300, 700, 2)).toEqual([800, 1_300]);
  });

  it("frees the share answer by answer as they expire, however long the caller keeps writing", () => {
    let expiries: number[] | null = [];
    // One answer every 100 ms, each kept 250 ms: at most 3 kept at once, so max 3 never refuses.
    for (let now = 0; now < 10_000; now += 100) {
      expiries = expiriesAfter(expiries!, now + 250, now, 3);
      expect(expiries).not.toBeNull();
    }
    // At 9,900: those written at 9,700 and 9,800 (kept until 9,950 and 10,050), and this one; 9,600's ended at 9,850.
    expect(expiries).toEqual([9_950, 10_050, 10_150]);
  });
});
