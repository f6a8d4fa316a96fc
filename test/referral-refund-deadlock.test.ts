import type { Client } from "pg";
import { enrollFriendOf, enrollMember, registerPartner } from "./support/fixtures";
import { ledgerClient, ledgerDatabaseUrl } from "./support/clearing";
import { gql, unique } from "./support/gateway";
import { expectLedgerConsistent } from "./support/ledger";
import { availableAndPending, purchaseWithBonuses } from "./support/campaigns";
import { holdRows, lockWaits } from "./support/lock-waits";

/**
 * README, Campaigns and referrals, Refunds: a refund of a referred friend's first purchase locks the
 * friend and the referrer (in id order), then the partner's issuance account; a purchase that pays the
 * same referrer for another friend's first purchase at that partner locks the referrer with its own
 * members, in id order, before any account (ReferrersLockedWithMembers1734890000002). Before, it locked
 * the referrer last, after the partner's and the coalition's issuance accounts: the two met in a lock
 * cycle, Postgres aborted the refund (UPSTREAM_UNAVAILABLE) and the group-commit writer stalled for
 * deadlock_timeout.
 */
const PURCHASE = `mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { id points bonuses { points } } }`;
const REVERSE = `mutation($input: ReversePurchaseInput!) { reversePurchase(input: $input) { id points } }`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const errorsOf = (r: { errors?: readonly { message: string; extensions?: Record<string, unknown> }[] }) => r.errors?.map((e) => `${e.extensions?.code}: ${e.message}`) ?? [];

describe("a refund of a referred friend's first purchase and another friend's first purchase at the same partner", () => {
  let ledger: Client;
  beforeAll(async () => {
    ledger = await ledgerClient();
  });
  afterAll(() => ledger.end());
  afterEach(() => expectLedgerConsistent());

  const deadlocks = async () => {
    await ledger.query(`SELECT pg_stat_clear_snapshot()`);
    return Number((await ledger.query(`SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()`)).rows[0].deadlocks);
  };
  const until = (n: number) => lockWaits(ledger).until(n);

  it("wait for each other: both succeed, and Postgres breaks no deadlock", async () => {
    const shop = await registerPartner({ pointsPerUnit: 1 });
    const referrer = await enrollMember();
    const [friend1, friend2] = [await enrollFriendOf(referrer.id), await enrollFriendOf(referrer.id)];
    const first = await purchaseWithBonuses(shop, friend1.id, 1_000); // 10 points, and 500 each
    expect(first.bonuses.map((b) => b.points)).toEqual([500]);
    expect((await availableAndPending(referrer.id)).available).toBe(500);
    const [{ transaction_id: purchaseTx }] = (await ledger.query(`SELECT transaction_id FROM purchases WHERE member_id = $1`, [friend1.id])).rows;
    const deadlocksBefore = await deadlocks();

    // Hold friend 1's purchase row: the refund then holds friend 1 and the referrer while it waits,
    // before it posts to the shop's issuance account.
    const holder = await holdRows(ledgerDatabaseUrl(), `SELECT 1 FROM purchases WHERE transaction_id = $1 FOR UPDATE`, [purchaseTx]);
    let results;
    try {
      const refund = gql(REVERSE, { input: { partnerId: shop.id, reference: first.reference, amountMinor: 1_000, refundReference: unique("refund") } });
      await until(1);
      // Friend 2's first purchase at the same shop, which pays the same referrer: it waits for the referrer.
      const purchase = gql(PURCHASE, { input: { partnerId: shop.id, memberId: friend2.id, amountMinor: 1_000, currency: shop.currency, reference: unique("r") } });
      await until(2);
      await sleep(300);
      await holder.release();
      results = await Promise.all([refund, purchase]);
    } finally {
      await holder.end();
    }
    // A backend reports its counters when it goes idle (at most once a second): give it time to.
    let after = deadlocksBefore;
    for (let i = 0; i < 25 && after === deadlocksBefore; i++) {
      await sleep(100);
      after = await deadlocks();
    }
    const [r, p] = results;
    expect({ refund: errorsOf(r), purchase: errorsOf(p), deadlocks: after - deadlocksBefore }).toEqual({ refund: [], purchase: [], deadlocks: 0 });
    expect(r.data?.reversePurchase.points).toBe(-10);
    expect(p.data?.recordPurchase.bonuses.map((b: { points: number }) => b.points)).toEqual([500]);
    // The referrer: 500, less the 500 the refund took back, and 500 for friend 2.
    expect((await availableAndPending(referrer.id)).available).toBe(500);
  });
});
