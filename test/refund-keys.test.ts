import { randomUUID } from "node:crypto";
import { createCampaign, purchaseWithBonuses } from "./support/campaigns";
import { ledgerClient } from "./support/clearing";
import { enrollMember, recordPurchase, registerPartner } from "./support/fixtures";
import { gql, ok } from "./support/gateway";
import { expectLedgerConsistent } from "./support/ledger";

/**
 * Refund keys that were one key (an outside review, 2026-12-05; subgraphs/ledger/src/reversal/refund-keys.ts):
 * receipt "R" refunded with refund id "b:c" and receipt "R:b" with "c", or a refund id "amount-500" and an
 * unnamed refund of 500, are different refunds, and so are a refund id "A:bonus:<transaction>" and refund
 * "A"'s reversal of that bonus (a later one); a retry of a refund stored under the old form still
 * answers that refund, once.
 */
const REFUND = `mutation($input: ReversePurchaseInput!) { reversePurchase(input: $input) { id points } }`;

afterAll(() => expectLedgerConsistent());

it("receipts and refund ids with ':' or 'amount-' are refunds of their own", async () => {
  const shop = await registerPartner({ pointsPerUnit: 1 }); // 1 point per 100 minor units
  const member = await enrollMember();
  const receipt = `R-${randomUUID()}`;
  await recordPurchase(shop, member.id, 1_000, { reference: receipt }); // 10 points
  await recordPurchase(shop, member.id, 1_000, { reference: `${receipt}:b` }); // 10 points
  const refund = async (reference: string, amountMinor: number, refundReference?: string) =>
    (await ok(REFUND, { input: { partnerId: shop.id, reference, amountMinor, ...(refundReference ? { refundReference } : {}) } })).reversePurchase;
  // Half of each: 5 points back each.
  expect((await refund(receipt, 500, "b:c")).points).toBe(-5);
  expect((await refund(`${receipt}:b`, 500, "c")).points).toBe(-5);
  // The other half of the first receipt, twice: named "amount-500", then unnamed 500 (would pass the amount: refused as such, not as a conflict).
  expect((await refund(receipt, 500, "amount-500")).points).toBe(-5);
  const unnamed = await gql(REFUND, { input: { partnerId: shop.id, reference: receipt, amountMinor: 500 } });
  expect(unnamed.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([["BAD_USER_INPUT", "amountMinor"]]);
  // Retries answer the same refunds.
  expect((await refund(`${receipt}:b`, 500, "c")).points).toBe(-5);
  expect((await refund(receipt, 500, "amount-500")).points).toBe(-5);
});

it("a refund stored under the old form of an ambiguous key is found by its retry, once", async () => {
  const shop = await registerPartner({ pointsPerUnit: 1 });
  const member = await enrollMember();
  const receipt = `R-${randomUUID()}:b`;
  await recordPurchase(shop, member.id, 1_000, { reference: receipt });
  const input = { partnerId: shop.id, reference: receipt, amountMinor: 400, refundReference: "c" };
  const first = (await ok(REFUND, { input })).reversePurchase;
  const db = await ledgerClient();
  try {
    // As it was stored before the key was encoded (the history is append-only: its triggers are off for this session).
    await db.query(`SET session_replication_role = replica`);
    const { rowCount } = await db.query(`UPDATE transactions SET idempotency_key = $1 WHERE idempotency_key LIKE $2`, [`reversal:${shop.id}:${receipt}:c`, `reversal:${shop.id}:~%`]);
    expect(rowCount).toBe(1);
    await db.query(`SET session_replication_role = origin`);
    const again = (await ok(REFUND, { input })).reversePurchase;
    expect(again).toEqual(first);
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM transactions WHERE kind = 'REVERSAL' AND partner_id = $1`, [shop.id]);
    expect(rows[0].n).toBe(1);
  } finally {
    await db.end();
  }
});

it("a refund id spelling another refund's bonus reversal key is a refund of its own", async () => {
  const shop = await registerPartner({ pointsPerUnit: 1 });
  await createCampaign({ fundedByPartnerId: shop.id, bonusPoints: 100 });
  const member = await enrollMember();
  const purchase = await purchaseWithBonuses(shop, member.id, 1_000); // 10 points and a 100-point bonus
  const [bonus] = purchase.bonuses;
  expect(bonus.points).toBe(100);
  // The bonus's transaction (an entry's id is its posting's; the API names no transaction, the ledger's keys do).
  const db = await ledgerClient();
  const bonusTransaction = await db.query(`SELECT transaction_id FROM postings WHERE id = $1`, [bonus.id]).finally(() => db.end());
  const bonusTx: string = bonusTransaction.rows[0].transaction_id;
  const refund = (amountMinor: number, refundReference: string) =>
    ok(REFUND, { input: { partnerId: shop.id, reference: purchase.reference, amountMinor, refundReference } });
  // Refund "A", 400 of 1,000: 4 points, and 40 of the bonus under the key "<refund A's key>:bonus:<bonus>".
  expect((await refund(400, "A")).reversePurchase.points).toBe(-4);
  // A refund named "A:bonus:<bonus transaction>", 500 more: its own refund (5 points, 50 of the bonus), not refund A's bonus reversal.
  expect((await refund(500, `A:bonus:${bonusTx}`)).reversePurchase.points).toBe(-5);
  const { member: read } = await ok(`query($id: ID!) { member(id: $id) { balance { available pending } } }`, { id: member.id });
  expect(read.balance.available + read.balance.pending).toBe(110 - 4 - 40 - 5 - 50);
});

it("an empty refund id is BAD_USER_INPUT, as one of spaces is, not an unnamed refund", async () => {
  // refundReference "" was taken as no refund id (the amount became the key), while "  " was refused:
  // two refunds of 500 sent with "" answered the first one twice, the second refund silently not made.
  const shop = await registerPartner({ pointsPerUnit: 1 });
  const member = await enrollMember();
  const receipt = `R-${randomUUID()}`;
  await recordPurchase(shop, member.id, 2_000, { reference: receipt }); // 20 points
  for (const refundReference of ["", "   "]) {
    const answer = await gql(REFUND, { input: { partnerId: shop.id, reference: receipt, amountMinor: 500, refundReference } });
    expect(answer.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([["BAD_USER_INPUT", "refundReference"]]);
  }
  const { member: after } = await ok(`query($id: ID!) { member(id: $id) { balance { available } } }`, { id: member.id });
  expect(after.balance.available).toBe(20); // nothing refunded
});
