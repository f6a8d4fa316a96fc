import { inLedgerTransaction, setTerms, verifyWithPriceChanged } from "./support/clearing";
import { createReward, enrollMember, recordPurchase, redeem, registerPartner } from "./support/fixtures";
import { ok } from "./support/gateway";
import { ledgerTool, travel } from "./support/ledger";

/**
 * clearing:verify "checks each recorded price against the terms in force when the movement was posted"
 * (README, Audit and export). A cancelled redemption's recorded price must be what the redemption was
 * paid, and a breakage's the lot's price at the share in force at the expiry. Here the recorded price
 * of each is made wrong together with the line's value (as a wrong valuation would write them): the
 * audit must say so.
 */
beforeAll(() => travel(0));

const DAY = 86_400_000;

it("catches a cancelled redemption recorded at another price than the redemption was paid", async () => {
  const shop = await registerPartner({ pointsPerUnit: 1, returnWindowDays: 0 });
  await setTerms(shop.id, { issue: 1_000, redemption: 1_200, share: 50 });
  const member = (await enrollMember()).id;
  await recordPurchase(shop, member, 200_000); // 2,000 points
  const reward = await createReward(shop.id, { costPoints: 1_000 });
  const redemption = (await redeem(member, reward.id)).redeemReward;
  await ok(`mutation($id: ID!) { cancelRedemption(id: $id) { status } }`, { id: redemption.id });
  const [cancellation] = await inLedgerTransaction(async (db) => (await db.query(
    `SELECT c.id FROM transactions c JOIN transactions r ON r.id = c.reverses_transaction_id JOIN postings p ON p.transaction_id = c.id JOIN accounts a ON a.id = p.account_id
     WHERE c.reversal_reason = 'REDEMPTION_CANCELLED' AND a.kind = 'PARTNER_REDEMPTION' AND a.owner_id = $1`, [shop.id])).rows);
  expect((await ledgerTool("clearing-verify")).code).toBe(0);
  // Taken back at 5,000 although it was paid 1,200.
  const tampered = await verifyWithPriceChanged(cancellation.id, "REDEMPTION_CANCELLATIONS", { per1000: 5_000, share: 100 });
  expect(tampered.code).toBe(1);
  expect((await ledgerTool("clearing-verify")).code).toBe(0);
});

it("catches a breakage recorded at another share than the terms in force at the expiry", async () => {
  const shop = await registerPartner({ pointsPerUnit: 1, returnWindowDays: 0 });
  await setTerms(shop.id, { issue: 1_000, redemption: 1_200, share: 40 });
  await recordPurchase(shop, (await enrollMember()).id, 100_000); // 1,000 points, expiring in 24 months
  const later = new Date(Date.now() + 800 * DAY);
  expect((await ledgerTool("expire", ["--now", later.toISOString()])).code).toBe(0);
  const [expiry] = await inLedgerTransaction(async (db) => (await db.query(
    `SELECT t.id FROM transactions t JOIN postings p ON p.transaction_id = t.id JOIN accounts a ON a.id = p.account_id
     WHERE t.kind = 'EXPIRY' AND a.kind = 'PARTNER_BREAKAGE' AND a.owner_id = $1`, [shop.id])).rows);
  expect((await ledgerTool("clearing-verify")).code).toBe(0);
  // Credited 100 % of the price although the share in force is 40 %.
  const tampered = await verifyWithPriceChanged(expiry.id, "BREAKAGE", { per1000: 1_000, share: 100 });
  expect(tampered.code).toBe(1);
  expect((await ledgerTool("clearing-verify")).code).toBe(0);
});
