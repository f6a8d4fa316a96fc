import { expectClearingConsistent, inLedgerTransaction, monthStart, periodOf, setTerms, statementOf, travelTo } from "./support/clearing";
import { createReward, enrollMember, recordPurchase, redeem, registerPartner } from "./support/fixtures";
import { ok, unique } from "./support/gateway";
import { expectLedgerConsistent, ledgerTool, travel } from "./support/ledger";

/**
 * A refund after the purchase's points expired takes those points back from the issuer's breakage
 * (README, Refunds), and that includes the purchase's points that left its lot before expiring: given
 * back by a cancelled redemption as a lot of their own, or transferred to another member. Each such lot
 * records the lot it came from (`origin_lot_id`); the refund follows the purchase's lot and every lot
 * whose origins lead to it. Before, only the purchase's own lot was followed: the member was charged
 * those points again (here as a debt) while the issuer kept their breakage credit and was credited
 * their full price by the refund. Prices are cents per 1,000 points; figures worked out by hand.
 */
const DAY = 86_400_000;
const EARNED = monthStart(new Date(Date.now() + 7_100 * DAY), 1); // a month no other suite writes in
const EXPIRES = monthStart(EARNED, 24); // points live 24 months (POINTS_EXPIRY_MONTHS): the lots' expiry, in this month
const EXPIRED = monthStart(EARNED, 25); // the run and the refunds
const REVERSE = `mutation($input: ReversePurchaseInput!) { reversePurchase(input: $input) { id kind points } }`;
const CANCEL = `mutation($id: ID!) { cancelRedemption(id: $id) { id status } }`;
const TRANSFER = `mutation($input: TransferPointsInput!) { transferPoints(input: $input) { id points } }`;
const balanceOf = async (id: string) => (await ok(`query($id: ID!) { member(id: $id) { balance { available } } }`, { id })).member.balance.available as number;
const SETTLEMENT = `query($id: ID!, $from: DateTimeISO!, $to: DateTimeISO!) { partner(id: $id) { settlement(from: $from, to: $to) { pointsExpired } } }`;
const settlementOf = async (partnerId: string, month: Date) =>
  (await ok(SETTLEMENT, { id: partnerId, from: month.toISOString(), to: monthStart(month, 1).toISOString() })).partner.settlement;
const line = (statement: { lines: { kind: string; points: number; amount: number }[] }, kind: string) =>
  statement.lines.find((l) => l.kind === kind) ?? { kind, points: 0, amount: 0 };

afterAll(() => travel(0));

async function grocerWithTerms() {
  const grocer = await registerPartner({ pointsPerUnit: 1 });
  await setTerms(grocer.id, { issue: 1000, redemption: 800, share: 60 });
  return grocer;
}
const refund = async (partnerId: string, reference: string, amountMinor: number) =>
  (await ok(REVERSE, { input: { partnerId, reference, amountMinor, refundReference: unique("refund") } })).reversePurchase;
/** Past the expiry; the run expires every lot past it (other suites' too), to their issuers' breakage. */
async function expireAll() {
  const after = new Date(EXPIRED.getTime() + DAY);
  await travelTo(after);
  expect((await ledgerTool("expire", ["--now", after.toISOString()])).code).toBe(0);
}

describe("a refund after the purchase's points expired, some of them in lots of their own", () => {
  it("takes back from the breakage the points a cancelled redemption gave back, not from the member", async () => {
    await travelTo(new Date(EARNED.getTime() + DAY));
    const grocer = await grocerWithTerms();
    const [a, d] = [(await enrollMember()).id, (await enrollMember()).id];
    // a: 1,000 points (lot L1); 600 redeemed, the redemption cancelled: the 600 come back as a lot of their own (L2, L1's expiry).
    const pa = await recordPurchase(grocer, a, 100_000);
    const { redeemReward } = await redeem(a, (await createReward(grocer.id, { costPoints: 600 })).id);
    expect((await ok(CANCEL, { id: redeemReward.id })).cancelRedemption.status).toBe("CANCELLED");
    // d: 1,000 points (L5), all redeemed, the redemption cancelled: L5 is empty (it never expires), L6 holds the 1,000.
    const pd = await recordPurchase(grocer, d, 100_000);
    const all = await redeem(d, (await createReward(grocer.id, { costPoints: 1_000 })).id);
    expect((await ok(CANCEL, { id: all.redeemReward.id })).cancelRedemption.status).toBe("CANCELLED");
    expect([pa.points, pd.points]).toEqual([1_000, 1_000]);
    expect([await balanceOf(a), await balanceOf(d)]).toEqual([1_000, 1_000]);

    // The run expires L1's 400, L2's 600 and L6's 1,000 to the grocer's breakage.
    await expireAll();
    expect([await balanceOf(a), await balanceOf(d)]).toEqual([0, 0]);
    // a: 1,000 refunded: the 400 L1 lost to expiry and the 600 L2 lost, all from the breakage; the member is not touched (before: 400, then 600 owed).
    expect(await refund(grocer.id, pa.reference, 100_000)).toMatchObject({ kind: "REVERSAL", points: 0 });
    // d: 1,000 refunded, all from what L6 lost (before: all 1,000 owed).
    expect(await refund(grocer.id, pd.reference, 100_000)).toMatchObject({ kind: "REVERSAL", points: 0 });
    expect([await balanceOf(a), await balanceOf(d)]).toEqual([0, 0]);

    const grocers = await statementOf(grocer.id, periodOf(EXPIRED));
    // Expired 400 + 600 + 1,000 = 2,000 points at 60% of 1,000 a thousand: −1,200; all 2,000 taken back by the refunds: +1,200.
    expect(line(grocers, "BREAKAGE")).toMatchObject({ points: 0, amount: 0 });
    // Refunded 2,000 points at the 1,000 they were charged: −2,000.
    expect(line(grocers, "REFUNDS")).toMatchObject({ points: 2_000, amount: -2_000 });
    expect(grocers).toMatchObject({ pointsExpired: 0, expiredAmount: 0, netAmount: -2_000 });
    // The settlement of the lots' expiry month: 2,000 expired, less the 2,000 taken back (before: L6's 1,000 counted, its take-back nowhere).
    expect(await settlementOf(grocer.id, EXPIRES)).toMatchObject({ pointsExpired: 0 });
    await expectLedgerConsistent();
    await expectClearingConsistent();
  });

  it("takes back from the breakage the points the buyer transferred that expired with the receiver, not from the buyer again", async () => {
    await travelTo(new Date(EARNED.getTime() + DAY));
    const grocer = await grocerWithTerms();
    const [b, c] = [(await enrollMember()).id, (await enrollMember()).id];
    // b: 1,000 points (L3); 700 transferred to c (c's lot L4, L3's expiry); b keeps 300.
    const pb = await recordPurchase(grocer, b, 100_000);
    expect(pb.points).toBe(1_000);
    expect((await ok(TRANSFER, { input: { fromMemberId: b, toMemberId: c, points: 700, idempotencyKey: unique("t") } })).transferPoints.points).toBe(-700);
    expect([await balanceOf(b), await balanceOf(c)]).toEqual([300, 700]);

    // The run expires b's 300 (L3) and c's 700 (L4) to the grocer's breakage.
    await expireAll();
    // Half refunded takes back 500 of the 300 + 700 that expired; the other half the last 500 (before: 300 then 200 owed, then 500 owed).
    expect(await refund(grocer.id, pb.reference, 50_000)).toMatchObject({ points: 0 });
    expect(await refund(grocer.id, pb.reference, 50_000)).toMatchObject({ points: 0 });
    expect([await balanceOf(b), await balanceOf(c)]).toEqual([0, 0]);

    const grocers = await statementOf(grocer.id, periodOf(EXPIRED));
    // Expired 300 + 700 = 1,000 points at 60% of 1,000 a thousand: −600; taken back 500 + 500: +600.
    expect(line(grocers, "BREAKAGE")).toMatchObject({ points: 0, amount: 0 });
    expect(line(grocers, "REFUNDS")).toMatchObject({ points: 1_000, amount: -1_000 });
    expect(grocers).toMatchObject({ pointsExpired: 0, expiredAmount: 0, netAmount: -1_000 });
    expect(await settlementOf(grocer.id, EXPIRES)).toMatchObject({ pointsExpired: 0 });
    await expectLedgerConsistent();
    await expectClearingConsistent();

    // Both tools check the origins on their own: c's lot made its own origin, ledger:verify finds it is not the sender's lot, and
    // clearing:verify that the refunds took back 1,000 off the breakage where the purchase's lots (now L3 alone) lost 300.
    const origin = (to: string | null) => inLedgerTransaction((db) => db.query(
      `UPDATE lots SET origin_lot_id = ${to === null ? "id" : "$2"} WHERE member_id = $1 AND source = 'TRANSFER'`, to === null ? [c] : [c, to]));
    const [received] = (await inLedgerTransaction((db) => db.query(`SELECT origin_lot_id::text AS origin FROM lots WHERE member_id = $1 AND source = 'TRANSFER'`, [c]))).rows;
    await origin(null);
    try {
      expect((await ledgerTool("verify")).output).toMatch(/FAIL lots whose origin is not the lot their points came from .*: 1/);
      expect((await ledgerTool("clearing-verify")).output).toMatch(/FAIL lots whose refunds took back more from the breakage .*: 1/);
    } finally {
      await origin(received.origin);
    }
    await expectLedgerConsistent();
    await expectClearingConsistent();
  });

  it("expires the receiver's points past expiry itself, and takes them back from the breakage", async () => {
    await travelTo(new Date(EARNED.getTime() + DAY));
    const grocer = await grocerWithTerms();
    const [e, f] = [(await enrollMember()).id, (await enrollMember()).id];
    // e: 1,000 points (L7); 700 transferred to f (L8); e keeps 300.
    const pe = await recordPurchase(grocer, e, 100_000);
    expect((await ok(TRANSFER, { input: { fromMemberId: e, toMemberId: f, points: 700, idempotencyKey: unique("t") } })).transferPoints.points).toBe(-700);
    // Past the expiry, no run: the refund expires e's 300 and f's 700 itself, then takes all 1,000 back off the breakage (before: 300, then 700 owed).
    await travelTo(new Date(EXPIRED.getTime() + 2 * DAY));
    expect(await refund(grocer.id, pe.reference, 100_000)).toMatchObject({ points: 0 });
    expect([await balanceOf(e), await balanceOf(f)]).toEqual([0, 0]);
    // f's lot expired once: the run finds nothing of it left.
    const run = await ledgerTool("expire", ["--now", new Date(EXPIRED.getTime() + 2 * DAY).toISOString()]);
    expect(run.code).toBe(0);
    expect(await balanceOf(f)).toBe(0);
    await expectLedgerConsistent();
    await expectClearingConsistent();
  });

  it("takes back at the first expiry's price and share only: points whose expiry was credited at another share come from the member", async () => {
    await travelTo(new Date(EARNED.getTime() + DAY));
    const grocer = await grocerWithTerms();
    const cafe = await registerPartner({ pointsPerUnit: 1 });
    const [g, h] = [(await enrollMember()).id, (await enrollMember()).id];
    // g: 1,000 points (L9); 700 transferred to h (L10); h also earns 100 at the café.
    const pg = await recordPurchase(grocer, g, 100_000);
    const ph = await recordPurchase(cafe, h, 10_000);
    expect((await ok(TRANSFER, { input: { fromMemberId: g, toMemberId: h, points: 700, idempotencyKey: unique("t") } })).transferPoints.points).toBe(-700);

    // Past the expiry, no run: h's refund at the café expires h's lots (L10's 700 to the grocer's breakage, at 60%), then the grocer's share drops to 30%.
    await travelTo(new Date(EXPIRED.getTime() + 3 * DAY));
    expect(await refund(cafe.id, ph.reference, 10_000)).toMatchObject({ points: 0 });
    await setTerms(grocer.id, { issue: 1000, redemption: 800, share: 30 });
    // g's refund expires L9's 300 (at 30%); the first expiry of g's points is L10's: its 700 come back off the breakage at 60%, and the
    // 300 credited at 30% are taken from g like spent points (a debt: g has nothing left).
    expect(await refund(grocer.id, pg.reference, 100_000)).toMatchObject({ points: -300 });
    expect([await balanceOf(g), await balanceOf(h)]).toEqual([-300, 0]);

    const grocers = await statementOf(grocer.id, periodOf(EXPIRED));
    // Expired 700 at 60% of 1,000 a thousand (−420) and 300 at 30% (−90); taken back 700 at 60% (+420): 300 points, −90.
    expect(line(grocers, "BREAKAGE")).toMatchObject({ points: 300, amount: -90 });
    expect(line(grocers, "REFUNDS")).toMatchObject({ points: 1_000, amount: -1_000 });
    await expectLedgerConsistent();
    await expectClearingConsistent();
  });
});
