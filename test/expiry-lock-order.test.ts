import type { Client } from "pg";
import { enrollMember, recordPurchase, registerPartner } from "./support/fixtures";
import { ledgerClient, ledgerDatabaseUrl } from "./support/clearing";
import { gql, ok, unique } from "./support/gateway";
import { expectLedgerConsistent, travel } from "./support/ledger";
import { holdRows, lockWaits } from "./support/lock-waits";
import { createCampaign, purchaseWithBonuses } from "./support/campaigns";

/**
 * README, The ledger, No overspend (locks): a write that finds a member's lots past their expiry posts
 * their EXPIRY first (journal/expire-lots.ts; a refund does, through planTakeBack, as do a debit and the
 * expiry run), each to its issuer's breakage account. It took those accounts in the order the lots
 * expire: a member whose points from P expire before those from Q took P's breakage then Q's, another
 * member the other way round, and two such writes at once (two refunds, or a refund and the hourly
 * expiry run) met in a lock cycle; Postgres aborted one of them. And a debit posted to its funder's
 * issuance account before it expired the member's lots, while a refund at that funder expired first: a
 * cycle too, as did a refund with campaign bonuses (its partner's issuance account first) and another
 * refund at that partner. Breakage accounts are now locked all at once, in account order, right after the members and
 * before any issuance account (lockBreakageBeforeIssuance).
 */
const REVERSE = `mutation($input: ReversePurchaseInput!) { reversePurchase(input: $input) { id points } }`;
const ADJUST = `mutation($input: AdjustPointsInput!) { adjustPoints(input: $input) { id points } }`;
const BALANCE = `query($id: ID!) { member(id: $id) { balance { available } } }`;
const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const errorsOf = (r: { errors?: readonly { message: string; extensions?: Record<string, unknown> }[] }) => r.errors?.map((e) => `${e.extensions?.code}: ${e.message}`) ?? [];

describe("writes that expire lots past their expiry lock breakage accounts in one order, before issuance accounts", () => {
  let ledger: Client;
  beforeAll(async () => {
    ledger = await ledgerClient();
  });
  afterAll(() => ledger.end());
  afterEach(async () => {
    await travel(0);
    await expectLedgerConsistent();
  });

  const deadlocks = async () => {
    await ledger.query(`SELECT pg_stat_clear_snapshot()`);
    return Number((await ledger.query(`SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()`)).rows[0].deadlocks);
  };
  const until = (n: number) => lockWaits(ledger).until(n);

  it("two refunds whose members' points from two partners expire in opposite orders: both succeed, and Postgres breaks no deadlock", async () => {
    const [p, q, shop] = [await registerPartner({ pointsPerUnit: 1 }), await registerPartner({ pointsPerUnit: 1 }), await registerPartner({ pointsPerUnit: 1 })];
    const [first, second] = [await enrollMember(), await enrollMember()];
    // The first member's points from P expire a day before those from Q; the second's the other way round.
    await recordPurchase(p, first.id, 100_000, { occurredAt: daysAgo(300) }); // 1,000
    await recordPurchase(q, first.id, 50_000, { occurredAt: daysAgo(299) }); // 500
    await recordPurchase(q, second.id, 100_000, { occurredAt: daysAgo(300) }); // 1,000
    await recordPurchase(p, second.id, 50_000, { occurredAt: daysAgo(299) }); // 500
    const refunded = [await recordPurchase(shop, first.id, 10_000), await recordPurchase(shop, second.id, 10_000)]; // 100 each, today
    // 740 days after the older purchases, 739 after the newer: every lot but today's is past its 24 months.
    await travel(440);
    const [{ id: firstsLotFromQ }] = (await ledger.query(`SELECT id FROM lots WHERE member_id = $1 AND partner_id = $2`, [first.id, q.id])).rows;
    const deadlocksBefore = await deadlocks();

    // Hold the key of the first member's expiry of its points from Q: its refund then holds P's breakage account
    // (it has posted the expiry of the points from P) while it waits, before it takes Q's.
    const holder = await holdRows(
      ledgerDatabaseUrl(),
      `INSERT INTO transactions (kind, idempotency_key, fingerprint, occurred_at, posted_at) VALUES ('EXPIRY', 'expiry:lot:' || $1, 'held by the test', now(), now())`,
      [firstsLotFromQ],
    );
    let results;
    try {
      const refund = (purchase: { reference: string }) =>
        gql(REVERSE, { input: { partnerId: shop.id, reference: purchase.reference, amountMinor: 10_000, refundReference: unique("refund") } });
      const firstRefund = refund(refunded[0]);
      await until(1);
      // The second member's refund expires its points from Q (Q's breakage account), then those from P.
      const secondRefund = refund(refunded[1]);
      await until(2);
      await sleep(300);
      await holder.end(); // rolled back: the first refund posts its expiry of the points from Q
      results = await Promise.all([firstRefund, secondRefund]);
    } finally {
      await holder.end();
    }
    // A backend reports its counters when it goes idle (at most once a second): give it time to.
    let after = deadlocksBefore;
    for (let i = 0; i < 25 && after === deadlocksBefore; i++) {
      await sleep(100);
      after = await deadlocks();
    }
    const [a, b] = results;
    expect({ first: errorsOf(a), second: errorsOf(b), deadlocks: after - deadlocksBefore }).toEqual({ first: [], second: [], deadlocks: 0 });
    expect([a.data?.reversePurchase.points, b.data?.reversePurchase.points]).toEqual([-100, -100]);
    // Each member: 1,000 and 500 expired, and the 100 of today's purchase taken back: nothing left.
    for (const member of [first, second]) expect((await ok(BALANCE, { id: member.id })).member.balance.available).toBe(0);
  });
  it("a debit funded by a partner and a refund at that partner: both succeed, and Postgres breaks no deadlock", async () => {
    // The debit posted to the funder's issuance account before it expired the member's lots (owe); the refund
    // expires first (planTakeBack), then posts to its partner's issuance account: they met in a lock cycle.
    const [p, shop] = [await registerPartner({ pointsPerUnit: 1 }), await registerPartner({ pointsPerUnit: 1 })];
    const [debited, refundee] = [await enrollMember(), await enrollMember()];
    await recordPurchase(p, debited.id, 100_000, { occurredAt: daysAgo(300) }); // 1,000
    await recordPurchase(p, refundee.id, 100_000, { occurredAt: daysAgo(300) }); // 1,000
    const refunded = await recordPurchase(shop, refundee.id, 10_000); // 100, today
    await travel(440); // both members' 1,000 points from P are past their 24 months, not yet expired by a run
    const [{ id: debitedLot }] = (await ledger.query(`SELECT id FROM lots WHERE member_id = $1`, [debited.id])).rows;
    const deadlocksBefore = await deadlocks();

    // Hold the debited member's lot past expiry: the debit waits there to expire it, holding whatever it locked before.
    const holder = await holdRows(ledgerDatabaseUrl(), `SELECT 1 FROM lots WHERE id = $1 FOR UPDATE`, [debitedLot]);
    let results;
    try {
      const debit = gql(ADJUST, {
        input: { memberId: debited.id, points: -100, reason: "GOODWILL", note: "Charged twice", idempotencyKey: unique("ticket"), fundedByPartnerId: shop.id },
      });
      await until(1);
      // The refund expires the refundee's points from P (P's breakage account), then posts to the shop's issuance account.
      const refund = gql(REVERSE, { input: { partnerId: shop.id, reference: refunded.reference, amountMinor: 10_000, refundReference: unique("refund") } });
      await until(2);
      await sleep(300);
      await holder.release();
      results = await Promise.all([debit, refund]);
    } finally {
      await holder.end();
    }
    let after = deadlocksBefore;
    for (let i = 0; i < 25 && after === deadlocksBefore; i++) {
      await sleep(100);
      after = await deadlocks();
    }
    const [d, r] = results;
    expect({ debit: errorsOf(d), refund: errorsOf(r), deadlocks: after - deadlocksBefore }).toEqual({ debit: [], refund: [], deadlocks: 0 });
    expect([d.data?.adjustPoints.points, r.data?.reversePurchase.points]).toEqual([-100, -100]);
    // The debited member: 1,000 expired, then 100 owed; the refundee: 1,000 expired and the 100 taken back.
    expect((await ok(BALANCE, { id: debited.id })).member.balance.available).toBe(-100);
    expect((await ok(BALANCE, { id: refundee.id })).member.balance.available).toBe(0);
  });
  it("a refund with a campaign bonus and a refund without at one partner: both succeed, and Postgres breaks no deadlock", async () => {
    // The refund with a bonus locks the partner's issuance account first (campaign/bonus-reversal.ts) and expired its
    // member's lots after; the one without expired first and then posted to that issuance account.
    const [p, shop] = [await registerPartner({ pointsPerUnit: 1 }), await registerPartner({ pointsPerUnit: 1 })];
    const [withBonus, without] = [await enrollMember(), await enrollMember()];
    await recordPurchase(p, withBonus.id, 100_000, { occurredAt: daysAgo(300) }); // 1,000
    await recordPurchase(p, without.id, 100_000, { occurredAt: daysAgo(300) }); // 1,000
    const plain = await recordPurchase(shop, without.id, 10_000); // 100, before the campaign: no bonus
    await createCampaign({ partnerIds: [shop.id], bonusPoints: 10 }); // coalition-funded
    const bonused = await purchaseWithBonuses(shop, withBonus.id, 10_000); // 100, and 10 of bonus
    expect(bonused.bonuses.map((b) => b.points)).toEqual([10]);
    await travel(440); // both members' 1,000 points from P are past their 24 months, not yet expired by a run
    const [{ transaction_id: bonusedTx }] = (await ledger.query(`SELECT transaction_id FROM purchases WHERE member_id = $1 AND partner_id = $2`, [withBonus.id, shop.id])).rows;
    const deadlocksBefore = await deadlocks();

    // Hold the bonused purchase's row: its refund waits there, holding what it locked before (the shop's issuance account).
    const holder = await holdRows(ledgerDatabaseUrl(), `SELECT 1 FROM purchases WHERE transaction_id = $1 FOR UPDATE`, [bonusedTx]);
    let results;
    try {
      const refund = (purchase: { reference: string }) =>
        gql(REVERSE, { input: { partnerId: shop.id, reference: purchase.reference, amountMinor: 10_000, refundReference: unique("refund") } });
      const first = refund(bonused);
      await until(1);
      const second = refund(plain);
      await until(2);
      await sleep(300);
      await holder.release();
      results = await Promise.all([first, second]);
    } finally {
      await holder.end();
    }
    let after = deadlocksBefore;
    for (let i = 0; i < 25 && after === deadlocksBefore; i++) {
      await sleep(100);
      after = await deadlocks();
    }
    const [a, b] = results;
    expect({ bonused: errorsOf(a), plain: errorsOf(b), deadlocks: after - deadlocksBefore }).toEqual({ bonused: [], plain: [], deadlocks: 0 });
    expect([a.data?.reversePurchase.points, b.data?.reversePurchase.points]).toEqual([-100, -100]);
    // Each member: 1,000 expired, the 100 (and the 10 of bonus) taken back: nothing left.
    for (const member of [withBonus, without]) expect((await ok(BALANCE, { id: member.id })).member.balance.available).toBe(0);
  });
});
