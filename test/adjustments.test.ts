import { Client } from "pg";
import { withDatabase } from "../shared/src/config";
import { enrollMember, headline, recordPurchase, registerPartner } from "./support/fixtures";
import { asMember, asPartnerApp, fails, gql, ok, unique } from "./support/gateway";
import { eventually } from "./support/eventually";
import { expectLedgerConsistent } from "./support/ledger";

const ADJUST = `mutation($input: AdjustPointsInput!) { adjustPoints(input: $input) { id kind points member { id } partner { id } adjustment { reason note madeBy fundedBy { id } } } }`;
const AUDIT = `query($memberId: ID) { auditLog(first: 50, memberId: $memberId) { edges { node { service actor action memberId partnerId targetId requestId outcome errorCode } } } }`;
const ACTIVITY = `query($id: ID!) { member(id: $id) { activity(first: 50) { edges { node { id kind points adjustment { reason note madeBy } } } } } }`;
const COALITION = "00000000-0000-0000-0000-000000000000";
const MISSING = "00000000-0000-4000-8000-000000000000";

const adjust = (input: Record<string, unknown>) => ({ input: { reason: "GOODWILL", note: "A hotel stay went missing", idempotencyKey: unique("ticket"), ...input } });
/** The member's audit lines of the ledger (enrolment and admin reads are the members service's). */
const auditLines = async (memberId: string) =>
  (await ok(AUDIT, { memberId })).auditLog.edges.map((e: { node: Record<string, unknown> }) => e.node).filter((line: { service: string }) => line.service === "ledger");
const activity = async (memberId: string) => (await ok(ACTIVITY, { id: memberId })).member.activity.edges.map((e: { node: Record<string, unknown> }) => e.node);

async function ledgerSql<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: withDatabase(process.env.TEST_DATABASE_URL!, `coalition_ledger${process.env.TEST_DATABASE_NAME_SUFFIX}`) });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

const issuanceBalance = async (kind: string, ownerId: string) =>
  Number((await ledgerSql<{ balance: string }>(`SELECT balance FROM accounts WHERE kind = $1 AND owner_id = $2`, [kind, ownerId]))[0]?.balance ?? 0);

describe("adjustPoints", () => {
  afterEach(() => expectLedgerConsistent());

  it("adds points funded by the coalition, with its reason, note and maker, and an audit line", async () => {
    const member = await enrollMember();
    const before = await issuanceBalance("COALITION_ISSUANCE", COALITION);
    const { adjustPoints } = await ok(ADJUST, adjust({ memberId: member.id, points: 500 }));
    expect(adjustPoints).toMatchObject({
      kind: "ADJUSTMENT",
      points: 500,
      member: { id: member.id },
      partner: null,
      adjustment: { reason: "GOODWILL", note: "A hotel stay went missing", madeBy: "admin:test-admin", fundedBy: null },
    });
    expect((await headline(member.id)).balance.available).toBe(500);
    // The coalition's issuance account gave the points: 500 more debited than before.
    expect(await issuanceBalance("COALITION_ISSUANCE", COALITION)).toBe(before - 500);
    expect(await auditLines(member.id)).toEqual([
      expect.objectContaining({ service: "ledger", actor: "admin:test-admin", action: "ADJUST_POINTS", memberId: member.id, partnerId: null, targetId: adjustPoints.id, outcome: "SUCCEEDED", errorCode: null }),
    ]);
    // The member sees why, not who.
    const [entry] = (await ok(ACTIVITY, { id: member.id }, asMember(member.id))).member.activity.edges.map((e: { node: unknown }) => e.node);
    expect(entry).toMatchObject({ kind: "ADJUSTMENT", points: 500, adjustment: { reason: "GOODWILL", madeBy: null } });
  });

  it("charges a funding partner's issuance account, and only ADJUSTMENT entries have an adjustment", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const member = await enrollMember();
    await recordPurchase(partner, member.id, 10_000); // 100 points
    const { adjustPoints } = await ok(ADJUST, adjust({ memberId: member.id, points: 300, reason: "MIGRATION", note: "Balance of the old card", fundedByPartnerId: partner.id }));
    expect(adjustPoints).toMatchObject({ partner: { id: partner.id }, adjustment: { reason: "MIGRATION", fundedBy: { id: partner.id } } });
    // Issued 100 by the purchase and 300 by the adjustment.
    expect(await issuanceBalance("PARTNER_ISSUANCE", partner.id)).toBe(-400);
    const entries = await activity(member.id);
    expect(entries.map((e: any) => [e.kind, e.points, e.adjustment?.reason ?? null])).toEqual([
      ["ADJUSTMENT", 300, "MIGRATION"],
      ["EARN", 100, null],
    ]);
    expect((await headline(member.id)).balance.available).toBe(400);
    expect(await auditLines(member.id)).toEqual(
      expect.arrayContaining([expect.objectContaining({ action: "ADJUST_POINTS", partnerId: partner.id, targetId: adjustPoints.id })]),
    );
  });

  it("a negative adjustment takes what the member has and leaves the rest as a debt, which later points repay first", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const member = await enrollMember();
    await recordPurchase(partner, member.id, 10_000); // 100 points
    const { adjustPoints } = await ok(ADJUST, adjust({ memberId: member.id, points: -250, reason: "FRAUD", note: "Receipts were forged" }));
    expect(adjustPoints).toMatchObject({ kind: "ADJUSTMENT", points: -250 });
    // 100 taken, 150 owed.
    expect((await headline(member.id)).balance.available).toBe(-150);
    await ok(ADJUST, adjust({ memberId: member.id, points: 200, reason: "CORRECTION" }));
    // 150 of the 200 repay the debt.
    expect((await headline(member.id)).balance.available).toBe(50);
  });

  it("is idempotent per admin key: a retry returns the first entry and writes one line; other details conflict", async () => {
    const member = await enrollMember();
    const input = adjust({ memberId: member.id, points: 40 });
    const first = await ok(ADJUST, input);
    const copies = await Promise.all(Array.from({ length: 10 }, () => ok(ADJUST, input)));
    expect(new Set(copies.map((c) => c.adjustPoints.id))).toEqual(new Set([first.adjustPoints.id]));
    await fails(ADJUST, { input: { ...input.input, points: 41 } }, "IDEMPOTENCY_CONFLICT");
    expect((await headline(member.id)).balance.available).toBe(40);
    // One line for the adjustment (none for the replays), and one FAILED line for the conflicting attempt.
    const found = await eventually(async () => {
      const all = (await auditLines(member.id)) as { outcome: string; errorCode: string | null }[];
      return all.length >= 2 ? all : undefined;
    });
    expect(found.map((l) => `${l.outcome} ${l.errorCode}`)).toEqual(["FAILED IDEMPOTENCY_CONFLICT", "SUCCEEDED null"]);
  });

  it("refuses bad input and other callers with clear errors, writing nothing", async () => {
    const partner = await registerPartner();
    const member = await enrollMember();
    const { issuePartnerApiKey } = await ok(`mutation($id: ID!) { issuePartnerApiKey(partnerId: $id) { key } }`, { id: partner.id });
    const bad = [
      [{ points: 0 }, "points"],
      [{ points: 10_000_001 }, "points"],
      [{ points: 5, note: "   " }, "note"],
      [{ points: 5, note: "x".repeat(501) }, "note"],
      [{ points: 5, memberId: "nope" }, "memberId"],
      [{ points: 5, fundedByPartnerId: "nope" }, "fundedByPartnerId"],
    ] as const;
    for (const [override, field] of bad) {
      const error = await fails(ADJUST, adjust({ memberId: member.id, ...override }), "BAD_USER_INPUT");
      expect(error.extensions?.field).toBe(field);
    }
    // An unknown reason is refused by the schema itself, naming the value.
    const unknownReason = await gql(ADJUST, adjust({ memberId: member.id, points: 5, reason: "BIRTHDAY" }));
    expect(unknownReason.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT" } });
    expect(unknownReason.errors?.[0].message).toMatch(/BIRTHDAY/);
    await fails(ADJUST, adjust({ memberId: MISSING, points: 5 }), "NOT_FOUND");
    await fails(ADJUST, adjust({ memberId: member.id, points: 5, fundedByPartnerId: MISSING }), "NOT_FOUND");
    await fails(ADJUST, adjust({ memberId: member.id, points: 5, fundedByPartnerId: partner.id }), "FORBIDDEN", asPartnerApp(issuePartnerApiKey.key));
    await fails(ADJUST, adjust({ memberId: member.id, points: 5 }), "FORBIDDEN", asMember(member.id));
    await fails(ADJUST, adjust({ memberId: member.id, points: 5, note: "bad\u0000note" }), "BAD_USER_INPUT");
    expect(await activity(member.id)).toEqual([]);
    // No line says an adjustment happened; each refused attempt by an admin or a partner app that reached the ledger has a FAILED line
    // (the unknown reason and the NUL byte are refused before any resolver runs, the member's attempt is not audited).
    const failed = await eventually(async () => {
      const found = (await auditLines(member.id)) as { outcome: string; errorCode: string; actor: string; action: string }[];
      return found.length >= 7 ? found : undefined;
    });
    expect(failed.every((l) => l.outcome === "FAILED" && l.action === "ADJUST_POINTS")).toBe(true);
    expect(failed.map((l) => `${l.actor.split(":")[0]} ${l.errorCode}`).sort()).toEqual([
      ...Array(5).fill("admin BAD_USER_INPUT"),
      "admin NOT_FOUND",
      "partner FORBIDDEN",
    ]);
  });
});
