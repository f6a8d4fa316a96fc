import { enrollMember, headline, recordPurchase, registerPartner } from "./support/fixtures";
import { asMember, fails, ok, unique } from "./support/gateway";
import { expectLedgerConsistent } from "./support/ledger";

const TRANSFER = `mutation($input: TransferPointsInput!) { transferPoints(input: $input) { id kind points member { id } } }`;

/** A member with 1,000 available points. */
async function memberWithPoints() {
  const member = await enrollMember();
  await recordPurchase(await registerPartner({ pointsPerUnit: 1 }), member.id, 100_000);
  return member;
}

describe("idempotency keys belong to their caller", () => {
  afterEach(() => expectLedgerConsistent());

  it("two members' transfers with the same key are two transfers; each member's retry is their own", async () => {
    const [a, b, to] = [await memberWithPoints(), await memberWithPoints(), await enrollMember()];
    const key = unique("gift"); // also a predictable one: nobody else's use of it blocks a member
    const input = (from: string, points: number) => ({ input: { fromMemberId: from, toMemberId: to.id, points, idempotencyKey: key } });

    const fromA = (await ok(TRANSFER, input(a.id, 100), asMember(a.id))).transferPoints;
    const fromB = (await ok(TRANSFER, input(b.id, 250), asMember(b.id))).transferPoints;
    expect(fromA).toMatchObject({ kind: "TRANSFER_OUT", points: -100, member: { id: a.id } });
    expect(fromB).toMatchObject({ kind: "TRANSFER_OUT", points: -250, member: { id: b.id } });
    expect(fromB.id).not.toBe(fromA.id);

    // A's retry is A's transfer; A's key with other details is a conflict that says nothing of B.
    expect((await ok(TRANSFER, input(a.id, 100), asMember(a.id))).transferPoints).toEqual(fromA);
    const conflict = await fails(TRANSFER, input(a.id, 101), "IDEMPOTENCY_CONFLICT", asMember(a.id));
    expect(conflict.message).not.toContain(b.id);
    // Nor the ledger's own key (its scope and ids): the field the caller chose it with.
    expect([conflict.message, conflict.extensions?.field]).toEqual(["This idempotencyKey was already used for a request with different input; use a new idempotencyKey for a new request", "idempotencyKey"]);

    expect((await headline(a.id)).balance.available).toBe(900);
    expect((await headline(b.id)).balance.available).toBe(750);
    expect((await headline(to.id)).balance.available).toBe(350);
  });

  it("concurrent copies from two members with one key move each member's points once", async () => {
    const [a, b, to] = [await memberWithPoints(), await memberWithPoints(), await enrollMember()];
    const key = unique("gift");
    const input = (from: string) => ({ input: { fromMemberId: from, toMemberId: to.id, points: 300, idempotencyKey: key } });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => ok(TRANSFER, input(i % 2 ? b.id : a.id))));
    const ids = (from: string) => new Set(results.filter((r) => r.transferPoints.member.id === from).map((r) => r.transferPoints.id));
    expect(ids(a.id).size).toBe(1);
    expect(ids(b.id).size).toBe(1);
    expect((await headline(a.id)).balance.available).toBe(700);
    expect((await headline(b.id)).balance.available).toBe(700);
    expect((await headline(to.id)).balance.available).toBe(600);
  });
});
