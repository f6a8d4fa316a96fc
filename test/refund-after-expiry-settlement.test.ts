import { monthStart, setTerms, travelTo } from "./support/clearing";
import { enrollMember, recordPurchase, registerPartner } from "./support/fixtures";
import { ok, unique } from "./support/gateway";
import { expectLedgerConsistent, ledgerTool, travel } from "./support/ledger";

/**
 * `Partner.settlement(from, to)` after a refund took back expired points from the breakage (README,
 * Refunds; "0 to 9,007,199,254,740,991" for its figures). The expiry's postings are dated when the lot
 * expired, the refund's when it was made: counted by its own date, the take-back made `pointsExpired`
 * negative in the refund's window (seen: −1,500 below) and left the expiry's window counting points the
 * refund took back. A take-back counts against the expiry it takes back from, in that expiry's window.
 */
const DAY = 86_400_000;
const EARNED = monthStart(new Date(Date.now() + 5_900 * DAY), 1); // a month no other suite writes in
const EXPIRES = monthStart(EARNED, 24); // the lots earned on EARNED + 1 day expire 24 months later, in this month
const REFUNDED = monthStart(EARNED, 26); // the refunds, two months after the expiry month
const REVERSE = `mutation($input: ReversePurchaseInput!) { reversePurchase(input: $input) { points } }`;
const SETTLEMENT = `query($id: ID!, $from: DateTimeISO!, $to: DateTimeISO!) {
  partner(id: $id) { settlement(from: $from, to: $to) { pointsIssued pointsReversed pointsRedeemed pointsExpired } } }`;
const settlement = async (partnerId: string, month: Date) =>
  (await ok(SETTLEMENT, { id: partnerId, from: month.toISOString(), to: monthStart(month, 1).toISOString() })).partner.settlement;

afterAll(() => travel(0));

it("counts a refund's take-back of expired points against the expiry, never as negative expired points", async () => {
  await travelTo(new Date(EARNED.getTime() + DAY));
  const grocer = await registerPartner({ pointsPerUnit: 1, returnWindowDays: 0 });
  await setTerms(grocer.id, { issue: 1000, redemption: 800, share: 60 });
  const [a, b] = [(await enrollMember()).id, (await enrollMember()).id];
  const pa = await recordPurchase(grocer, a, 100_000); // 1,000 points
  const pb = await recordPurchase(grocer, b, 100_000); // 1,000 points

  // Both lots expire (2,000 points, dated in EXPIRES); the run is a month later.
  const run = new Date(monthStart(EXPIRES, 1).getTime() + DAY);
  await travelTo(run);
  // The run expires every suite's lots past their expiry (its count is not these two alone): the settlement below counts this partner's.
  expect((await ledgerTool("expire", ["--now", run.toISOString()])).code).toBe(0);
  expect(await settlement(grocer.id, EXPIRES)).toMatchObject({ pointsIssued: 0, pointsExpired: 2_000 });

  // Refunds in REFUNDED: a's whole purchase (1,000 back off the breakage), b's half (500 of its 1,000 expired).
  await travelTo(new Date(REFUNDED.getTime() + DAY));
  const refund = async (reference: string, amountMinor: number) =>
    (await ok(REVERSE, { input: { partnerId: grocer.id, reference, amountMinor, refundReference: unique("refund") } })).reversePurchase;
  expect(await refund(pa.reference, 100_000)).toEqual({ points: 0 });
  expect(await refund(pb.reference, 50_000)).toEqual({ points: 0 });

  // The refunds' window: 1,000 + 500 points reversed; nothing expired in it (before: pointsExpired −1,500).
  expect(await settlement(grocer.id, REFUNDED)).toEqual({ pointsIssued: 0, pointsReversed: 1_500, pointsRedeemed: 0, pointsExpired: 0 });
  // The expiry's window: 2,000 expired less the 1,500 the refunds took back = 500 (before: 2,000).
  expect(await settlement(grocer.id, EXPIRES)).toEqual({ pointsIssued: 0, pointsReversed: 0, pointsRedeemed: 0, pointsExpired: 500 });
  // One window holding both: the same 500.
  expect((await ok(SETTLEMENT, { id: grocer.id, from: EXPIRES.toISOString(), to: monthStart(REFUNDED, 1).toISOString() })).partner.settlement)
    .toMatchObject({ pointsReversed: 1_500, pointsExpired: 500 });
  await expectLedgerConsistent();
});
