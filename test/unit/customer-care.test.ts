import { compareAuditRows, decodeAuditCursor, encodeAuditCursor, mergeAuditPages, type AuditRow } from "../../shared/src/audit/audit-page";
import { actionOfMutation, targetsOf } from "../../shared/src/audit/failed-writes";
import { actorOf, isAuditedCaller } from "../../shared/src/audit/record-audit";
import { MAX_ADJUSTMENT_POINTS, adjustmentProblem } from "../../subgraphs/ledger/src/rules/adjustments";

describe("adjustment rules", () => {
  const valid = { points: 500, reason: "GOODWILL", note: "Missing stay" };

  it("accepts non-zero whole points up to 10,000,000 either way, with a known reason and a note", () => {
    expect(adjustmentProblem(valid)).toBeNull();
    expect(adjustmentProblem({ ...valid, points: -1 })).toBeNull();
    expect(adjustmentProblem({ ...valid, points: 10_000_000 })).toBeNull();
    expect(adjustmentProblem({ ...valid, points: -10_000_000 })).toBeNull();
    expect(MAX_ADJUSTMENT_POINTS).toBe(10_000_000);
    for (const reason of ["GOODWILL", "CORRECTION", "MIGRATION", "FRAUD"]) expect(adjustmentProblem({ ...valid, reason })).toBeNull();
  });

  it("names the field of the first problem", () => {
    expect(adjustmentProblem({ ...valid, points: 0 })?.field).toBe("points");
    expect(adjustmentProblem({ ...valid, points: 10_000_001 })?.field).toBe("points");
    expect(adjustmentProblem({ ...valid, points: -10_000_001 })?.field).toBe("points");
    expect(adjustmentProblem({ ...valid, points: 1.5 })?.field).toBe("points");
    expect(adjustmentProblem({ ...valid, reason: "BIRTHDAY" })?.field).toBe("reason");
    expect(adjustmentProblem({ ...valid, note: "  " })?.field).toBe("note");
    expect(adjustmentProblem({ ...valid, note: "x".repeat(500) })).toBeNull();
    expect(adjustmentProblem({ ...valid, note: "x".repeat(501) })?.field).toBe("note");
    // Zero points and a bad reason: points first, the order of the input.
    expect(adjustmentProblem({ points: 0, reason: "BIRTHDAY", note: "" })?.field).toBe("points");
  });
});

describe("audit trail helpers", () => {
  const row = (at: string, service: string, id: string): AuditRow => ({
    at, service, id, actor: "admin:a", action: "X", memberId: null, partnerId: null, targetId: null, requestId: null, outcome: "SUCCEEDED", errorCode: null,
  });
  const ID1 = "00000000-0000-4000-8000-000000000001";
  const ID2 = "00000000-0000-4000-8000-000000000002";

  it("orders newest first, then service, then id, all descending", () => {
    const a = row("2026-11-30T10:00:00.000002Z", "catalog", ID1);
    const b = row("2026-11-30T10:00:00.000001Z", "members", ID2);
    const c = row("2026-11-30T10:00:00.000001Z", "ledger", ID2);
    const d = row("2026-11-30T10:00:00.000001Z", "ledger", ID1);
    expect([d, c, b, a].sort(compareAuditRows)).toEqual([a, b, c, d]);
  });

  it("merges pages: the first `first` lines overall, and whether more follow", () => {
    const ledger = [row("2026-11-30T10:00:05.000000Z", "ledger", ID1), row("2026-11-30T10:00:01.000000Z", "ledger", ID2)];
    const members = [row("2026-11-30T10:00:03.000000Z", "members", ID1)];
    const merged = mergeAuditPages([ledger, members, []], 2);
    expect(merged.rows.map((r) => `${r.service}@${r.at.slice(17, 19)}`)).toEqual(["ledger@05", "members@03"]);
    expect(merged.hasNextPage).toBe(true);
    expect(mergeAuditPages([ledger, members], 3).hasNextPage).toBe(false);
  });

  it("cursors round-trip, and anything else is BAD_USER_INPUT on after", () => {
    const cursor = { at: "2026-11-30T10:00:00.123456Z", service: "ledger", id: ID1 };
    expect(decodeAuditCursor(encodeAuditCursor(cursor))).toEqual(cursor);
    for (const bad of ["", "abc", Buffer.from(JSON.stringify(["2026-11-30", "ledger", ID1])).toString("base64url"), Buffer.from(JSON.stringify([cursor.at, "Ledger; DROP", ID1])).toString("base64url")]) {
      expect(() => decodeAuditCursor(bad)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: "BAD_USER_INPUT", field: "after" }) }));
    }
  });

  it("names a failed attempt like the change it tried, about the member and partner of its arguments", () => {
    expect(actionOfMutation("adjustPoints")).toBe("ADJUST_POINTS");
    expect(actionOfMutation("issuePartnerApiKey")).toBe("ISSUE_PARTNER_API_KEY");
    expect(actionOfMutation("recordPurchase")).toBe("RECORD_PURCHASE");
    expect(targetsOf({ input: { memberId: ID1.toUpperCase(), fundedByPartnerId: ID2 } })).toEqual({ memberId: ID1, partnerId: ID2 });
    expect(targetsOf({ partnerId: ID2, memberId: "not-an-id" })).toEqual({ memberId: null, partnerId: ID2 });
    expect(targetsOf({ id: ID1 })).toEqual({ memberId: null, partnerId: null });
  });

  it("audits admins and partner apps, not members acting for themselves", () => {
    expect(actorOf({ kind: "admin", subject: "alice" })).toBe("admin:alice");
    expect(actorOf({ kind: "partner", partnerId: ID1 })).toBe(`partner:${ID1}`);
    expect(isAuditedCaller({ kind: "admin", subject: "alice" })).toBe(true);
    expect(isAuditedCaller({ kind: "partner", partnerId: ID1 })).toBe(true);
    expect(isAuditedCaller({ kind: "member", memberId: ID1 })).toBe(false);
    expect(isAuditedCaller({ kind: "service", service: "catalog" })).toBe(false);
  });
});
