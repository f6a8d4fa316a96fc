import { ErasureFeed, type ErasureFeedPage, feedIsFresh, feedPollMs } from "../../gateway/src/erasure-feed";
import { cursorAfterPage, decodeErasureCursor, encodeErasureCursor } from "../../subgraphs/members/src/member-data/erasure-feed";

/** The erasure feed: the members service's cursor (by transaction id, never past a transaction still running) and the gateway's freshness. */
describe("the erasure feed's cursor (members service)", () => {
  const NIL = "00000000-0000-0000-0000-000000000000";
  const M = "5b0e5c2e-8f0a-4d36-9a57-2f1c8a9d4e10";

  it("starts at transaction 0 and reads back what it wrote", () => {
    expect(decodeErasureCursor(null)).toEqual({ xid: "0", memberId: NIL });
    expect(decodeErasureCursor("")).toEqual({ xid: "0", memberId: NIL });
    expect(decodeErasureCursor(encodeErasureCursor({ xid: "731", memberId: M }))).toEqual({ xid: "731", memberId: M });
    expect(decodeErasureCursor(`731:${M.toUpperCase()}`)).toEqual({ xid: "731", memberId: M });
    // The largest 64-bit transaction id: 2^64 - 1.
    expect(decodeErasureCursor(`18446744073709551615:${NIL}`).xid).toBe("18446744073709551615");
  });

  it.each([
    ["no member id", "731"],
    ["a word for the id", `abc:${M}`],
    ["a negative id", `-1:${M}`],
    ["2^64, past xid8", `18446744073709551616:${M}`],
    ["not a uuid", "731:not-a-uuid"],
    ["a third part", `731:${M}:1`],
    ["a NUL byte", `731:${M}\u0000`],
  ])("refuses %s as BAD_USER_INPUT", (_what, after) => {
    expect(() => decodeErasureCursor(after)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: "BAD_USER_INPUT", field: "after" }) }));
  });

  it("after a page that is not full: at the horizon (the oldest transaction still running)", () => {
    expect(cursorAfterPage({ xid: "729", memberId: M }, "731", false)).toEqual({ xid: "731", memberId: NIL });
    expect(cursorAfterPage(null, "731", false)).toEqual({ xid: "731", memberId: NIL });
  });

  it("after a full page: its last key while that is below the horizon, never past the horizon", () => {
    // 729 < 731: everything up to (729, M) is settled.
    expect(cursorAfterPage({ xid: "729", memberId: M }, "731", true)).toEqual({ xid: "729", memberId: M });
    // 731 is not below 731: transaction 731 may still commit erasures with keys below (731, M).
    expect(cursorAfterPage({ xid: "731", memberId: M }, "731", true)).toEqual({ xid: "731", memberId: NIL });
    expect(cursorAfterPage({ xid: "900", memberId: M }, "731", true)).toEqual({ xid: "731", memberId: NIL });
  });

  it("compares transaction ids as numbers, not as text", () => {
    // As text "99" > "100"; as numbers 99 < 100, so (99, M) is settled below a horizon of 100.
    expect(cursorAfterPage({ xid: "99", memberId: M }, "100", true)).toEqual({ xid: "99", memberId: M });
    expect(cursorAfterPage({ xid: "100", memberId: M }, "99", true)).toEqual({ xid: "99", memberId: NIL });
  });
});

describe("the erasure feed in the gateway", () => {
  it("is fresh for less than ERASURE_CHECK_CACHE_MS after its last complete read was sent", () => {
    expect(feedIsFresh(1_000, 1_999, 1_000)).toBe(true); // 999 ms after
    expect(feedIsFresh(1_000, 2_000, 1_000)).toBe(false); // 1,000 ms after: eraseMember may have answered an erasure this read missed
    expect(feedIsFresh(-Infinity, 5, 1_000)).toBe(false); // never read
    expect(feedIsFresh(1_000, 1_000, 0)).toBe(false); // ERASURE_CHECK_CACHE_MS=0: always ask
  });

  it("is read four times per ERASURE_CHECK_CACHE_MS, at least 10 ms apart", () => {
    expect(feedPollMs(1_000)).toBe(250);
    expect(feedPollMs(30)).toBe(10); // 7.5 → 10
    expect(feedPollMs(0)).toBe(10);
  });

  const A = "aaaaaaaa-0000-4000-8000-000000000001";
  const B = "bbbbbbbb-0000-4000-8000-000000000002";
  const C = "cccccccc-0000-4000-8000-000000000003";

  it("reads page after page until one is not full, then answers from what it read", async () => {
    const asked: (string | null)[] = [];
    const pages: ErasureFeedPage[] = [
      { memberIds: [A, B.toUpperCase()], next: "5:b", complete: false },
      { memberIds: [C], next: "9:0", complete: true },
    ];
    const feed = new ErasureFeed(async (after) => (asked.push(after), pages.shift()!), 60_000);
    await feed.sync();
    expect(asked).toEqual([null, "5:b"]);
    expect([feed.knows(A), feed.knows(B), feed.knows(C), feed.knows("dddddddd-0000-4000-8000-000000000004")]).toEqual([true, true, true, false]);
    feed.close();
  });

  it("answers nothing about a member it has not read while it is not fresh: not yet read, or its reads failing", async () => {
    let fail = false;
    const feed = new ErasureFeed(async () => {
      if (fail) throw new Error("members down");
      return { memberIds: [A], next: "3:0", complete: true };
    }, 40);
    expect(feed.knows(B)).toBeUndefined(); // nothing read yet: ask
    await feed.sync();
    expect(feed.knows(B)).toBe(false);
    feed.close();
    fail = true;
    await feed.sync();
    await new Promise((resolve) => setTimeout(resolve, 60)); // past 40 ms since the last read that worked
    expect(feed.knows(B)).toBeUndefined();
    expect(feed.knows(A)).toBe(true); // an erasure is never undone
  });

  it("a full page that cannot move on leaves it stale (too many erasures still being written)", async () => {
    let reads = 0;
    const feed = new ErasureFeed(async () => (reads++, { memberIds: [A], next: "7:0", complete: false }), 60_000);
    await feed.sync();
    // The first page moved the cursor from the start to 7:0, the second did not: it stops there.
    expect(reads).toBe(2);
    expect(feed.knows(B)).toBeUndefined();
    feed.close();
  });
});
