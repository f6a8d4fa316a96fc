import { encodeIdCursor } from "../shared/src/cursor";
import { enrollMember } from "./support/fixtures";
import { ok } from "./support/gateway";

const AUDIT = `query($memberId: ID) { auditLog(first: 50, memberId: $memberId) { edges { node { service action actor } } } }`;
const PAGE = `query($after: String) { membersConnection(first: 1, after: $after) { edges { node { id email displayName } } } }`;

const profileReads = async (memberId: string): Promise<number> =>
  (await ok(AUDIT, { memberId })).auditLog.edges.filter((e: { node: { action: string } }) => e.node.action === "READ_MEMBER_PROFILE").length;

/**
 * README (The audit trail): every admin read of a member's profile leaves a READ_MEMBER_PROFILE line,
 * `membersConnection` pages included, as `members` pages do. Before, an admin could page through every
 * member's email and name with `membersConnection` and leave no trace.
 */
describe("membersConnection: an admin's read of a page is audited", () => {
  it("one READ_MEMBER_PROFILE line for each member of the page, none for the row read to see whether a page follows", async () => {
    const before = await enrollMember();
    const [read, next] = [await enrollMember(), await enrollMember()];
    expect([await profileReads(read.id), await profileReads(next.id)]).toEqual([0, 0]);

    const { membersConnection } = await ok(PAGE, { after: encodeIdCursor("member", before.id) });
    expect(membersConnection.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([read.id]);

    expect(await profileReads(read.id)).toBe(1);
    expect(await profileReads(next.id)).toBe(0);
    const [line] = (await ok(AUDIT, { memberId: read.id })).auditLog.edges.map((e: { node: unknown }) => e.node);
    expect(line).toEqual({ service: "members", action: "READ_MEMBER_PROFILE", actor: "admin:test-admin" });
  });
});
