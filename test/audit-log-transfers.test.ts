import { enrollMember, recordPurchase, registerPartner } from "./support/fixtures";
import { asMember, ok, unique } from "./support/gateway";

const AUDIT = `query($memberId: ID) { auditLog(first: 50, memberId: $memberId) { edges { node { actor action memberId targetId outcome } } } }`;
const TRANSFER = `mutation($input: TransferPointsInput!) { transferPoints(input: $input) { id points } }`;
const lines = async (memberId: string) => (await ok(AUDIT, { memberId })).auditLog.edges.map((e: { node: Record<string, unknown> }) => e.node);

/**
 * A transfer by an admin (customer care moving points between two members) writes on two members'
 * accounts. An outside review found its audit line named the sender only: `auditLog(memberId:)` of the
 * member who received the points showed nothing of it, so "who changed this member's points?" had no
 * answer in the trail. Now each of the two members has a line naming their own entry.
 */
describe("an admin's transfer in the audit trail", () => {
  it("is on both members' trails, each line naming that member's entry", async () => {
    const partner = await registerPartner();
    const from = await enrollMember();
    const to = await enrollMember();
    await recordPurchase(partner, from.id, 10_000); // 100 points
    const { transferPoints } = await ok(TRANSFER, { input: { fromMemberId: from.id, toMemberId: to.id, points: 30, idempotencyKey: unique("care") } });
    expect(transferPoints.points).toBe(-30);
    const { member } = await ok(`query($id: ID!) { member(id: $id) { activity(first: 5) { edges { node { id kind points } } } } }`, { id: to.id }, asMember(to.id));
    const [received] = member.activity.edges.map((e: { node: unknown }) => e.node);
    expect(received).toEqual({ id: expect.any(String), kind: "TRANSFER_IN", points: 30 });

    const transferLines = async (memberId: string) => (await lines(memberId)).filter((l: { action: string }) => l.action === "TRANSFER_POINTS");
    expect(await transferLines(from.id)).toEqual([{ actor: "admin:test-admin", action: "TRANSFER_POINTS", memberId: from.id, targetId: transferPoints.id, outcome: "SUCCEEDED" }]);
    expect(await transferLines(to.id)).toEqual([{ actor: "admin:test-admin", action: "TRANSFER_POINTS", memberId: to.id, targetId: received.id, outcome: "SUCCEEDED" }]);
  });

  it("a member's own transfer leaves no line on either trail (their ledger history is their record)", async () => {
    const partner = await registerPartner();
    const from = await enrollMember();
    const to = await enrollMember();
    await recordPurchase(partner, from.id, 10_000);
    await ok(TRANSFER, { input: { fromMemberId: from.id, toMemberId: to.id, points: 30, idempotencyKey: unique("gift") } }, asMember(from.id));
    expect((await lines(to.id)).map((l: { action: string }) => l.action)).toEqual(["ENROLL_MEMBER"]);
    expect((await lines(from.id)).map((l: { action: string }) => l.action)).toEqual(["RECORD_PURCHASE", "ENROLL_MEMBER"]);
  });
});
