import { timeOfTimeOrderedUuid } from "../../shared/src/time-ordered-ids";

describe("timeOfTimeOrderedUuid: the milliseconds in a time-ordered id's first 48 bits", () => {
  it("reads them, worked by hand", () => {
    // 0x0000000003e8 = 3 × 256 + 14 × 16 + 8 = 1,000 ms: one second after 1970-01-01T00:00:00Z.
    expect(timeOfTimeOrderedUuid("00000000-03e8-7000-8000-000000000000")).toBe(1_000);
    // 0x000100000000 = 2^32 = 4,294,967,296 ms; the hyphen after the first 8 digits is not a digit.
    expect(timeOfTimeOrderedUuid("00010000-0000-7abc-9def-0123456789ab")).toBe(4_294_967_296);
    // One made on 2026-12-04 at 20:16:23.163 UTC: 0x01a242b3667b = 1,796,415,383,163 ms.
    expect(new Date(timeOfTimeOrderedUuid("01a242b3-667b-77fb-b5e0-0fe25a5f3397")).toISOString()).toBe("2026-12-04T20:16:23.163Z");
  });
});
