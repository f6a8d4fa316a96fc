import { createCampaign } from "./support/campaigns";
import { expectClearingConsistent, inLedgerTransaction, monthStart, periodOf, setTerms, statementOf, travelTo, verifyWithPriceChanged } from "./support/clearing";
import { createReward, enrollMember, recordPurchase, redeem, registerPartner } from "./support/fixtures";
import { ok, unique } from "./support/gateway";
import { expectLedgerConsistent, travel } from "./support/ledger";

/**
 * A refund of a purchase whose points expired meanwhile (README, Refunds). The expiry already credited
 * the issuer its breakage share of those points; the refund gives it back the full price it was charged.
 * So the points the refund takes back come first from what the purchase's own lot lost to expiry (the
 * issuer's breakage, reversed at the price and share it was credited at), then from the member: a
 * member is never charged twice for points they lost once, and the issuer is credited once.
 * Prices are cents per 1,000 points; every figure is worked out by hand in the comments.
 */
const DAY = 86_400_000;
const EARNED = monthStart(new Date(Date.now() + 5_000 * DAY), 1); // a month no other suite writes in
const EXPIRED = monthStart(EARNED, 25); // points live 24 months (POINTS_EXPIRY_MONTHS)
const REVERSE = `mutation($input: ReversePurchaseInput!) { reversePurchase(input: $input) { id kind points } }`;
const balanceOf = async (id: string) => (await ok(`query($id: ID!) { member(id: $id) { balance { available } } }`, { id })).member.balance.available as number;
const line = (statement: { lines: { kind: string; points: number; amount: number }[] }, kind: string) =>
  statement.lines.find((l) => l.kind === kind) ?? { kind, points: 0, amount: 0 };

afterAll(() => travel(0));

describe("a refund after the purchase's points expired", () => {
  it("takes the expired points back from the issuer's breakage, not from the member, and credits the issuer once", async () => {
    await travelTo(new Date(EARNED.getTime() + DAY));
    const grocer = await registerPartner({ pointsPerUnit: 1 });
    const cafe = await registerPartner({ pointsPerUnit: 1 });
    await setTerms(grocer.id, { issue: 1000, redemption: 800, share: 60 });
    await setTerms(cafe.id, { issue: 2000, redemption: 1000, share: 25 });
    await createCampaign({ fundedByPartnerId: cafe.id, bonusPoints: 200, startsAt: EARNED.toISOString(), endsAt: new Date(EARNED.getTime() + 30 * DAY).toISOString() });
    const [a, b, c] = [(await enrollMember()).id, (await enrollMember()).id, (await enrollMember()).id];

    const pa = await recordPurchase(grocer, a, 100_000); // 1,000 points, never spent
    const pb = await recordPurchase(grocer, b, 100_000); // 1,000 points: 400 spent, 600 left to expire
    const pc = await recordPurchase(cafe, c, 10_000); // 100 points and a 200-point bonus the café funds
    expect([pa.points, pb.points, pc.points]).toEqual([1_000, 1_000, 100]);
    await redeem(b, (await createReward(grocer.id, { costPoints: 400 })).id);
    expect([await balanceOf(a), await balanceOf(b), await balanceOf(c)]).toEqual([1_000, 600, 300]);

    // Past the expiry: nothing expires until a writer (or the expiry run) gets to the lots, so the refund itself expires them first.
    await travelTo(new Date(EXPIRED.getTime() + DAY));
    const refund = async (partnerId: string, reference: string, amountMinor: number) =>
      (await ok(REVERSE, { input: { partnerId, reference, amountMinor, refundReference: unique("refund") } })).reversePurchase;

    // a: all 1,000 points expired; the whole refund takes them back from the breakage: the member is not touched.
    expect(await refund(grocer.id, pa.reference, 100_000)).toMatchObject({ kind: "REVERSAL", points: 0 });
    expect(await balanceOf(a)).toBe(0);
    // b: half refunded takes back 500 of the 600 that expired; the other half the last 100 and 400 from the member (spent: a debt).
    expect(await refund(grocer.id, pb.reference, 50_000)).toMatchObject({ points: 0 });
    expect(await balanceOf(b)).toBe(0);
    expect(await refund(grocer.id, pb.reference, 50_000)).toMatchObject({ points: -400 });
    expect(await balanceOf(b)).toBe(-400);
    // c: the purchase's 100 and its bonus's 200, all expired: taken back from the café's breakage.
    expect(await refund(cafe.id, pc.reference, 10_000)).toMatchObject({ points: 0 });
    expect(await balanceOf(c)).toBe(0);

    const grocers = await statementOf(grocer.id, periodOf(EXPIRED));
    // Expired 1,000 + 600 = 1,600 points, credited 60% of 1,000 a thousand: −960; all 1,600 taken back by the refunds: +960.
    expect(line(grocers, "BREAKAGE")).toMatchObject({ points: 0, amount: 0 });
    // Refunded 1,000 + 500 + 500 points at the 1,000 they were charged: −2,000. Net: −2,000, the 2,000 the purchases were charged in their month.
    expect(line(grocers, "REFUNDS")).toMatchObject({ points: 2_000, amount: -2_000 });
    expect(grocers).toMatchObject({ pointsExpired: 0, expiredAmount: 0, netAmount: -2_000 });
    expect((await statementOf(grocer.id, periodOf(EARNED))).netAmount).toBe(2_000 - 400 * 0.8);

    const cafes = await statementOf(cafe.id, periodOf(EXPIRED));
    // Expired 100 + 200 at 2,000 × 25%: −50 − 100; taken back: +150. The purchase's 100 at 2,000: −200; the bonus's 200 at 2,000 off the bonus line: −400.
    expect(line(cafes, "BREAKAGE")).toMatchObject({ points: 0, amount: 0 });
    expect(line(cafes, "REFUNDS")).toMatchObject({ points: 100, amount: -200 });
    expect(line(cafes, "BONUSES_ISSUED")).toMatchObject({ points: -200, amount: -400 });
    expect(cafes.netAmount).toBe(-600);

    await expectLedgerConsistent();
    await expectClearingConsistent();

    // clearing:verify checks the take-back's recorded price against what the lot's expiry was credited: here 100 % instead of 60 %.
    const [takeBack] = (await inLedgerTransaction((db) => db.query(
      `SELECT t.id FROM transactions t JOIN purchases pu ON pu.transaction_id = t.reverses_transaction_id JOIN postings p ON p.transaction_id = pu.transaction_id
       WHERE t.reversal_reason = 'PURCHASE_REFUND' AND p.member_id = $1`, [a]))).rows;
    const tampered = await verifyWithPriceChanged(takeBack.id, "BREAKAGE", { per1000: 1_000, share: 100 });
    expect(tampered.code).toBe(1);
    expect(tampered.output).toMatch(/FAIL refunded breakage prices that differ .*: 1/);
    await expectClearingConsistent();
  });
});
