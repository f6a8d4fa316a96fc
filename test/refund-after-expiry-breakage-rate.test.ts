import { monthStart, setTerms, travelTo } from "./support/clearing";
import { createReward, enrollMember, recordPurchase, redeem, registerPartner } from "./support/fixtures";
import { ok, unique } from "./support/gateway";
import { ledgerTool, travel } from "./support/ledger";

/**
 * `Partner.liability.expectedBreakageRate` (README, Liability: expired ÷ (expired + redeemed) over the 12
 * periods before the current one) after a refund took back expired points from the breakage (README,
 * Refunds). The take-back nets the BREAKAGE line of the refund's period: with the expiry before the 12
 * periods and the take-back inside them, the expired points of the window were negative and so was the
 * rate (seen: −1 below). Figures worked out by hand.
 */
const DAY = 86_400_000;
const EARNED = monthStart(new Date(Date.now() + 6_500 * DAY), 1); // a month no other suite writes in
const M = monthStart(EARNED, 25); // the expiry run's month (the lot earned on EARNED + 1 day expired in EARNED + 24)
const LIABILITY = `query($id: ID!) { partner(id: $id) { liability { expectedBreakageRate } } }`;
const rate = async (id: string) => (await ok(LIABILITY, { id })).partner.liability.expectedBreakageRate;

afterAll(() => travel(0));

it("never goes negative when a window's refunds take back points that expired before it", async () => {
  await travelTo(new Date(EARNED.getTime() + DAY));
  const grocer = await registerPartner({ pointsPerUnit: 1, returnWindowDays: 0 });
  await setTerms(grocer.id, { issue: 1000, redemption: 800, share: 60 });
  const [x, y] = [(await enrollMember()).id, (await enrollMember()).id];
  const px = await recordPurchase(grocer, x, 100_000); // 1,000 points

  const run = new Date(M.getTime() + DAY);
  await travelTo(run);
  // The run expires every suite's lots past their expiry (its count is not this one lot alone): the figures below are this partner's.
  expect((await ledgerTool("expire", ["--now", run.toISOString()])).code).toBe(0);

  // M + 1: half the purchase refunded: 500 back off the breakage (BREAKAGE of M + 1: −500 points).
  await travelTo(new Date(monthStart(M, 1).getTime() + DAY));
  expect((await ok(`mutation($input: ReversePurchaseInput!) { reversePurchase(input: $input) { points } }`,
    { input: { partnerId: grocer.id, reference: px.reference, amountMinor: 50_000, refundReference: unique("refund") } })).reversePurchase).toEqual({ points: 0 });

  // M + 2: 1,000 of the grocer's points redeemed.
  await travelTo(new Date(monthStart(M, 2).getTime() + DAY));
  await recordPurchase(grocer, y, 100_000);
  await redeem(y, (await createReward(grocer.id, { costPoints: 1_000 })).id);

  // M + 13: the 12 periods before are M + 1 … M + 12: nothing expired in them (the expiry was in M), 1,000 redeemed:
  // 0 ÷ (0 + 1,000) = 0. Before: the −500 taken back counted as expired: −500 ÷ (−500 + 1,000) = −1.
  await travelTo(new Date(monthStart(M, 13).getTime() + DAY));
  expect(await rate(grocer.id)).toBe(0);
});
