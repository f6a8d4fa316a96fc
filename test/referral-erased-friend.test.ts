import { enrollFriendOf, enrollMember, registerPartner } from "./support/fixtures";
import { expectClearingConsistent, ledgerClient, ledgerDatabaseUrl } from "./support/clearing";
import { asMember, fails, gql, ok, unique } from "./support/gateway";
import { holdRows, lockWaits } from "./support/lock-waits";
import { expectLedgerConsistent, travel } from "./support/ledger";
import { availableAndPending, purchaseWithBonuses } from "./support/campaigns";

/**
 * README, Campaigns and referrals, and Members' data (Erasure): a referral bonus becomes the referrer's
 * for good when it becomes available. A referred member erased while the referrer's bonus is still
 * pending can no longer have the purchase that paid it refunded (NOT_FOUND), so the erasure withdraws
 * what the referrer's bonus lot still holds, by an ADJUSTMENT (reason CORRECTION) to the coalition's
 * breakage. Before, anyone could enrol a second address with their own code, buy once, erase it, return
 * the goods and keep 500 coalition points.
 * Partners earn 1 point per 100 minor units; REFERRAL_BONUS_POINTS is 500 in the test stack; the
 * partner's return window is 14 days, so both bonuses are pending until day 14.
 */
const ERASE = `mutation($id: ID!) { eraseMember(id: $id) }`;
const REVERSE = `mutation($input: ReversePurchaseInput!) { reversePurchase(input: $input) { id points } }`;
const ACTIVITY = `query($id: ID!) { member(id: $id) { activity(first: 10) { edges { node { kind points reference partner { id } adjustment { reason note madeBy fundedBy { id } } } } } } }`;
const NOTE = "Referral bonus withdrawn: the referral ended before the bonus became available";

const activityOf = async (memberId: string) => (await ok(ACTIVITY, { id: memberId })).member.activity.edges.map((e: any) => e.node);
const refund = (partnerId: string, reference: string, amountMinor: number) =>
  ok(REVERSE, { input: { partnerId, reference, amountMinor, refundReference: unique("refund") } });

/** The referrer's account and their referral bonus lot, as the ledger holds them. */
async function referrerRows(referrerId: string) {
  const db = await ledgerClient();
  try {
    const { rows: [account] } = await db.query(`SELECT balance::int, debt::int FROM accounts WHERE kind = 'MEMBER' AND owner_id = $1`, [referrerId]);
    const { rows: lots } = await db.query(`SELECT source, points::int, remaining::int FROM lots WHERE member_id = $1 ORDER BY id`, [referrerId]);
    const { rows: withdrawals } = await db.query(
      `SELECT a.kind, p.amount::int, p.entry_kind, t.expired_lot_id IS NOT NULL AS names_lot, t.partner_id, ad.reason, ad.made_by
       FROM transactions t JOIN postings p ON p.transaction_id = t.id JOIN accounts a ON a.id = p.account_id
       LEFT JOIN adjustments ad ON ad.transaction_id = t.id
       WHERE t.kind = 'ADJUSTMENT' AND t.idempotency_key LIKE 'erasure:%:referral:%' AND t.id IN (SELECT transaction_id FROM postings WHERE member_id = $1)
       ORDER BY p.amount`,
      [referrerId],
    );
    return { account, lots, withdrawals };
  } finally {
    await db.end();
  }
}

describe("a referred member erased", () => {
  afterEach(async () => {
    await travel(0);
  });

  it("on day 3, inside the return window: the referrer's pending 500 is withdrawn, to the coalition's breakage, with its reason", async () => {
    const shop = await registerPartner({ pointsPerUnit: 1, returnWindowDays: 14 });
    const referrer = await enrollMember();
    const friend = await enrollFriendOf(referrer.id); // a second address of the referrer's, say
    const first = await purchaseWithBonuses(shop, friend.id, 100); // 1 point; 500 each, pending 14 days
    expect(first.bonuses.map((b) => b.points)).toEqual([500]);
    expect(await availableAndPending(referrer.id)).toEqual({ available: 0, pending: 500 });

    await travel(3);
    expect(await ok(ERASE, { id: friend.id }, asMember(friend.id))).toEqual({ eraseMember: true });
    // The goods come back at the till: the erased member's purchase cannot be refunded (README, Erasure).
    await fails(REVERSE, { input: { partnerId: shop.id, reference: first.reference, amountMinor: 100, refundReference: unique("refund") } }, "NOT_FOUND");

    // Back to what the referrer had before the referral: nothing, spendable or pending, now and on day 15.
    expect(await availableAndPending(referrer.id)).toEqual({ available: 0, pending: 0 });
    expect(await referrerRows(referrer.id)).toEqual({
      account: { balance: 0, debt: 0 },
      lots: [{ source: "BONUS", points: 500, remaining: 0 }],
      // −500 from the referrer, +500 to the coalition's breakage (its nil owner id), naming the lot; no partner; made by the ledger.
      withdrawals: [
        { kind: "MEMBER", amount: -500, entry_kind: "ADJUSTMENT", names_lot: true, partner_id: null, reason: "CORRECTION", made_by: "service:ledger" },
        { kind: "PARTNER_BREAKAGE", amount: 500, entry_kind: null, names_lot: true, partner_id: null, reason: "CORRECTION", made_by: "service:ledger" },
      ],
    });
    expect(await activityOf(referrer.id)).toEqual([
      { kind: "ADJUSTMENT", points: -500, reference: null, partner: null, adjustment: { reason: "CORRECTION", note: NOTE, madeBy: "service:ledger", fundedBy: null } },
      { kind: "BONUS", points: 500, reference: null, partner: null, adjustment: null },
    ]);
    // The member reads the reason and note of their own entry, not who made it (as for customer care's).
    const own = (await ok(ACTIVITY, { id: referrer.id }, asMember(referrer.id))).member.activity.edges[0].node;
    expect(own.adjustment).toEqual({ reason: "CORRECTION", note: NOTE, madeBy: null, fundedBy: null });
    // The referrer's data export holds the withdrawal (its adjustments row) and never names the friend (the key that does is left out).
    const ledger = (await ok(`query($id: ID!) { member(id: $id) { dataExport } }`, { id: referrer.id }, asMember(referrer.id))).member.dataExport.services.ledger;
    expect(ledger.adjustments).toEqual([expect.objectContaining({ member_id: referrer.id, reason: "CORRECTION", note: NOTE, made_by: "service:ledger", funded_by_partner_id: null })]);
    expect(JSON.stringify(ledger)).not.toContain(friend.id);
    await expectLedgerConsistent();
    await expectClearingConsistent();

    await travel(15);
    expect(await availableAndPending(referrer.id)).toEqual({ available: 0, pending: 0 });
    await expectLedgerConsistent();
    await expectClearingConsistent();
  }, 60_000);

  it("on day 15, once the referrer's bonus is available: the referrer keeps the 500", async () => {
    const shop = await registerPartner({ pointsPerUnit: 1, returnWindowDays: 14 });
    const referrer = await enrollMember();
    const friend = await enrollFriendOf(referrer.id);
    await purchaseWithBonuses(shop, friend.id, 100); // 1 point; 500 each, pending 14 days

    await travel(15);
    expect(await availableAndPending(referrer.id)).toEqual({ available: 500, pending: 0 });
    expect(await ok(ERASE, { id: friend.id }, asMember(friend.id))).toEqual({ eraseMember: true });

    expect(await availableAndPending(referrer.id)).toEqual({ available: 500, pending: 0 });
    expect(await referrerRows(referrer.id)).toEqual({
      account: { balance: 500, debt: 0 },
      lots: [{ source: "BONUS", points: 500, remaining: 500 }],
      withdrawals: [],
    });
    expect((await activityOf(referrer.id)).map((e: { kind: string; points: number }) => [e.kind, e.points])).toEqual([["BONUS", 500]]);
    await expectLedgerConsistent();
    await expectClearingConsistent();
  }, 60_000);

  it("after a half refund of the first purchase: the 250 the referrer's lot still holds are withdrawn on day 3", async () => {
    const shop = await registerPartner({ pointsPerUnit: 1, returnWindowDays: 14 });
    const referrer = await enrollMember();
    const friend = await enrollFriendOf(referrer.id);
    const first = await purchaseWithBonuses(shop, friend.id, 1_000); // 10 points; 500 each, pending 14 days
    // 500 of 1,000: the friend's floor(10 × 500 / 1,000) = 5, each bonus floor(500 × 500 / 1,000) = 250, from the bonus's own lot.
    expect((await refund(shop.id, first.reference, 500)).reversePurchase.points).toBe(-5);
    expect(await availableAndPending(referrer.id)).toEqual({ available: 0, pending: 250 });

    await travel(3);
    expect(await ok(ERASE, { id: friend.id }, asMember(friend.id))).toEqual({ eraseMember: true });

    expect(await availableAndPending(referrer.id)).toEqual({ available: 0, pending: 0 });
    expect(await referrerRows(referrer.id)).toEqual({
      account: { balance: 0, debt: 0 },
      lots: [{ source: "BONUS", points: 500, remaining: 0 }],
      withdrawals: [
        { kind: "MEMBER", amount: -250, entry_kind: "ADJUSTMENT", names_lot: true, partner_id: null, reason: "CORRECTION", made_by: "service:ledger" },
        { kind: "PARTNER_BREAKAGE", amount: 250, entry_kind: null, names_lot: true, partner_id: null, reason: "CORRECTION", made_by: "service:ledger" },
      ],
    });
    // Newest first: the withdrawal of the 250 left, the refund's 250, the bonus.
    expect((await activityOf(referrer.id)).map((e: { kind: string; points: number }) => [e.kind, e.points])).toEqual([
      ["ADJUSTMENT", -250],
      ["REVERSAL", -250],
      ["BONUS", 500],
    ]);
    await expectLedgerConsistent();
    await expectClearingConsistent();
  }, 60_000);

  it("while the friend's first purchase commits: an erasure that read no referrer before its lock runs again with the one paid, and withdraws the 500", async () => {
    const shop = await registerPartner({ pointsPerUnit: 1, returnWindowDays: 14 });
    const referrer = await enrollMember();
    const friend = await enrollFriendOf(referrer.id);
    const db = await ledgerClient();
    await db.query(`INSERT INTO accounts (kind, owner_id) VALUES ('MEMBER', $1) ON CONFLICT DO NOTHING`, [friend.id]);
    // Hold the friend's account: the purchase queues for it first, then the ledger's erasure step, which found no referrer paid yet.
    const holder = await holdRows(ledgerDatabaseUrl(), `SELECT 1 FROM accounts WHERE kind = 'MEMBER' AND owner_id = $1 FOR UPDATE`, [friend.id]);
    let results;
    try {
      const purchase = gql(`mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { points bonuses { points } } }`, {
        input: { partnerId: shop.id, memberId: friend.id, amountMinor: 100, currency: shop.currency, reference: unique("receipt") },
      });
      await lockWaits(db).until(1);
      const erase = gql(ERASE, { id: friend.id });
      await lockWaits(db).until(2);
      await holder.release();
      results = await Promise.all([purchase, erase]);
    } finally {
      await holder.end();
      await db.end();
    }
    const [bought, erased] = results;
    // The purchase committed first (1 point; 500 each), then the erasure forfeited the friend's and withdrew the referrer's.
    expect({ purchase: bought.errors ?? bought.data, erase: erased.errors ?? erased.data }).toEqual({
      purchase: { recordPurchase: { points: 1, bonuses: [{ points: 500 }] } },
      erase: { eraseMember: true },
    });
    expect(await availableAndPending(referrer.id)).toEqual({ available: 0, pending: 0 });
    expect((await referrerRows(referrer.id)).withdrawals.map((w: { kind: string; amount: number }) => [w.kind, w.amount])).toEqual([
      ["MEMBER", -500],
      ["PARTNER_BREAKAGE", 500],
    ]);
    await expectLedgerConsistent();
    await expectClearingConsistent();
  }, 60_000);
});
