import { describeExpiryRun } from "../../subgraphs/ledger/src/expiry/expiry.service";

/** `npm run ledger:expire`'s last line: short whatever the number of members that failed (their ids are in the log, 20 at most). */
describe("describeExpiryRun", () => {
  const now = new Date("2026-12-06T12:00:00.000Z");
  const ids = (count: number) => Array.from({ length: count }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`);

  it("a run without failures says what expired", () => {
    expect(describeExpiryRun({ lots: 3, points: 250, members: 2, failed: 0, failedMembers: [] }, now)).toBe("Expired 250 points in 3 lots of 2 members (as of 2026-12-06T12:00:00.000Z).");
  });

  it("failures up to the named ones are all logged above", () => {
    expect(describeExpiryRun({ lots: 0, points: 0, members: 0, failed: 1, failedMembers: ids(1) }, now)).toBe(
      "Expired 0 points in 0 lots of 0 members (as of 2026-12-06T12:00:00.000Z); 1 member failed (logged above), left for the next run.",
    );
  });

  it("5,000 failures: the first 20 logged, the other 4,980 counted, and no id in the sentence", () => {
    const line = describeExpiryRun({ lots: 0, points: 0, members: 0, failed: 5_000, failedMembers: ids(20) }, now);
    expect(line).toBe(
      "Expired 0 points in 0 lots of 0 members (as of 2026-12-06T12:00:00.000Z); 5000 members failed (the first 20 logged above, the other 4980 counted there), left for the next run.",
    );
  });
});
