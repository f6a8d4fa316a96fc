import { randomUUID } from "node:crypto";
import { enrollMember, recordPurchase, registerPartner } from "./support/fixtures";
import { asMember, gql, ok } from "./support/gateway";

const ACTIVITY = `query($id: ID!, $after: String) { member(id: $id) { activity(first: 10, after: $after) { edges { cursor node { id points occurredAt } } } } }`;
const cursorOf = (postingId: string) => Buffer.from(`entry:${postingId}`, "utf8").toString("base64url");
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

/**
 * An activity cursor names a posting (`entry:<its id>`, easy to write by hand once an id is known). A
 * member paging their own activity with a cursor that names another member's posting learnt that it
 * exists and when it happened (their own entries before it were listed: a posting dated before my
 * entries shows none of them), one member's history read through another's. A cursor that is not one
 * of this member's postings is refused like a cursor that names nothing.
 */
describe("Member.activity cursors belong to the member", () => {
  it("another member's posting as `after` reads like an unknown cursor (BAD_USER_INPUT), telling nothing of it", async () => {
    const x = await registerPartner({ pointsPerUnit: 1 });
    const a = await enrollMember();
    const b = await enrollMember();
    // A's entries at 20 and 2 days ago; B's, recorded after them, is dated 10 days ago.
    await recordPurchase(x, a.id, 1_000, { occurredAt: daysAgo(20) });
    await recordPurchase(x, a.id, 2_000, { occurredAt: daysAgo(2) });
    await recordPurchase(x, b.id, 3_000, { occurredAt: daysAgo(10) });
    const bCursor = (await ok(ACTIVITY, { id: b.id }, asMember(b.id))).member.activity.edges[0].cursor;
    const own = (await ok(ACTIVITY, { id: a.id }, asMember(a.id))).member.activity.edges;
    expect(own.map((e: { node: { points: number } }) => e.node.points)).toEqual([20, 10]);

    const unknown = await gql(ACTIVITY, { id: a.id, after: cursorOf(randomUUID()) }, asMember(a.id));
    const foreign = await gql(ACTIVITY, { id: a.id, after: bCursor }, asMember(a.id));
    expect(unknown.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    // Before: A's page after B's posting listed A's entry from 20 days ago alone (B's is dated between A's two).
    expect(foreign.data?.member?.activity ?? null).toBeNull();
    expect(foreign.errors?.map((e) => [e.message, e.extensions?.code])).toEqual(unknown.errors?.map((e) => [e.message, e.extensions?.code]));
    // The member's own cursors still page as before.
    const next = await ok(ACTIVITY, { id: a.id, after: own[0].cursor }, asMember(a.id));
    expect(next.member.activity.edges.map((e: { node: { points: number } }) => e.node.points)).toEqual([10]);
  });

  it("a cursor carries the entry's own id and nothing else: no place in the whole ledger that grows with other members' entries", async () => {
    // Before: `entry:<seq>`, the posting's position among all members' postings: a member comparing the
    // cursors of two of their entries learnt how many entries the coalition had posted between them.
    const x = await registerPartner({ pointsPerUnit: 1 });
    const a = await enrollMember();
    await recordPurchase(x, a.id, 1_000, { occurredAt: daysAgo(3) });
    for (let i = 0; i < 3; i++) await recordPurchase(x, (await enrollMember()).id, 1_000);
    await recordPurchase(x, a.id, 2_000, { occurredAt: daysAgo(1) });
    const edges = (await ok(ACTIVITY, { id: a.id }, asMember(a.id))).member.activity.edges as { cursor: string; node: { id: string } }[];
    expect(edges).toHaveLength(2);
    for (const edge of edges) expect(Buffer.from(edge.cursor, "base64url").toString("utf8")).toBe(`entry:${edge.node.id}`);
  });
});
