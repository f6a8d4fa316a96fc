import { enrollMember, recordPurchase, registerPartner } from "./support/fixtures";
import { asMember, ok, unique } from "./support/gateway";
import { expectLedgerConsistent } from "./support/ledger";
import { dbQuery, whereStored } from "./support/member-data";

const ADJUST = `mutation($input: AdjustPointsInput!) { adjustPoints(input: $input) { id points adjustment { reason note madeBy } } }`;
const ERASE = `mutation($id: ID!) { eraseMember(id: $id) }`;
const NOTES = `SELECT a.reason, a.note, a.made_by, p.amount::int AS points FROM adjustments a JOIN postings p ON p.transaction_id = a.transaction_id AND p.member_id = a.member_id WHERE a.member_id = $1`;

/**
 * An adjustment's note is free text a customer-care agent writes about the member ("goodwill for Ada
 * Byron, ada@…, after her complaint"): an outside review found the name and the address still in the
 * ledger's `adjustments` after the member's erasure. The erasure now replaces the notes of the
 * member's adjustments (the reason, the points, who made it and who funds it stay, for the record);
 * nothing else of an adjustment can be changed, and no one else's note.
 */
describe("an erasure and the notes of the member's adjustments", () => {
  it("leaves no note that names the person; the reason, points and author stay; other members' notes are untouched", async () => {
    const partner = await registerPartner();
    const name = unique("Ada Byron");
    const member = await enrollMember({ displayName: name });
    const bystander = await enrollMember();
    await recordPurchase(partner, member.id, 10_000); // 100 points
    const note = `Goodwill for ${name} <${member.email}> after her phone complaint`;
    const { adjustPoints } = await ok(ADJUST, { input: { memberId: member.id, points: 50, reason: "GOODWILL", note, idempotencyKey: unique("k") } });
    expect(adjustPoints.adjustment).toEqual({ reason: "GOODWILL", note, madeBy: "admin:test-admin" });
    await ok(ADJUST, { input: { memberId: bystander.id, points: 7, reason: "CORRECTION", note: "Bystander's own note", idempotencyKey: unique("k") } });
    expect(await whereStored(member.email)).toEqual(["members.members", "ledger.adjustments"]);

    expect(await ok(ERASE, { id: member.id }, asMember(member.id))).toEqual({ eraseMember: true });

    for (const needle of [member.email, name]) expect([needle, await whereStored(needle)]).toEqual([needle, []]);
    // The financial record stays: +50, GOODWILL, by the admin; only the words about the person are gone.
    expect(await dbQuery("ledger", NOTES, [member.id])).toEqual([{ reason: "GOODWILL", note: "(erased with the member)", made_by: "admin:test-admin", points: 50 }]);
    expect(await dbQuery("ledger", NOTES, [bystander.id])).toEqual([{ reason: "CORRECTION", note: "Bystander's own note", made_by: "admin:test-admin", points: 7 }]);
    const { member: seen } = await ok(`query($id: ID!) { member(id: $id) { activity(first: 5) { edges { node { adjustment { note } } } } } }`, { id: bystander.id }, asMember(bystander.id));
    expect(seen.activity.edges.map((e: { node: { adjustment: unknown } }) => e.node.adjustment)).toEqual([{ note: "Bystander's own note" }]);
    await expectLedgerConsistent();
  });

  it("adjustments stay append-only otherwise: no note of a member not erased, no other column, no delete", async () => {
    const member = await enrollMember();
    await ok(ADJUST, { input: { memberId: member.id, points: 5, reason: "MIGRATION", note: "from the old card", idempotencyKey: unique("k") } });
    await expect(dbQuery("ledger", `UPDATE adjustments SET note = 'rewritten' WHERE member_id = $1`, [member.id])).rejects.toThrow(/append-only/);
    await ok(ERASE, { id: member.id });
    await expect(dbQuery("ledger", `UPDATE adjustments SET reason = 'FRAUD' WHERE member_id = $1`, [member.id])).rejects.toThrow(/append-only/);
    await expect(dbQuery("ledger", `UPDATE adjustments SET made_by = 'admin:someone-else' WHERE member_id = $1`, [member.id])).rejects.toThrow(/append-only/);
    await expect(dbQuery("ledger", `UPDATE adjustments SET note = 'rewritten after' WHERE member_id = $1`, [member.id])).rejects.toThrow(/append-only/);
    await expect(dbQuery("ledger", `DELETE FROM adjustments WHERE member_id = $1`, [member.id])).rejects.toThrow(/append-only/);
    expect(await dbQuery("ledger", `SELECT reason, note, made_by FROM adjustments WHERE member_id = $1`, [member.id])).toEqual([
      { reason: "MIGRATION", note: "(erased with the member)", made_by: "admin:test-admin" },
    ]);
  });
});
