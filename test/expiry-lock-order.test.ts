import type { Client } from "pg";
import { enrollMember, recordPurchase, registerPartner } from "./support/fixtures";
import { ledgerClient, ledgerDatabaseUrl } from "./support/clearing";
import { gql, ok, unique } from "./support/gateway";
import { expectLedgerConsistent, travel } from "./support/ledger";
import { holdRows, lockWaits } from "./support/lock-waits";

/**
 * README, The ledger, No overspend (locks): a write that finds a member's lots past their expiry posts
 * their EXPIRY first (journal/expire-lots.ts; a refund does, through planTakeBack, as do a debit and the
 * expiry run), each to its issuer's breakage account. It took those accounts in the order the lots
 * expire: a member whose points from P expire before those from Q took P's breakage then Q's, another
 * member the other way round, and two such writes at once (two refunds, or a refund and the hourly
 * expiry run) met in a lock cycle; Postgres aborted one of them. Breakage accounts are now locked in
 * one order, the accounts' (kind, owner) order that every posting follows.
 */
const REVERSE = `mutation($input: ReversePurchaseInput!) { reversePurchase(input: $input) { id points } }`;
const BALANCE = `query($id: ID!) { member(id: $id) { balance { available } } }`;
const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const errorsOf = (r: { errors?: readonly { message: string; extensions?: Record<string, unknown> }[] }) => r.errors?.map((e) => `${e.extensions?.code}: ${e.message}`) ?? [];

describe("two refunds whose members' points from two partners expire in opposite orders", () => {
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

  it("wait for each other: both succeed, and Postgres breaks no deadlock", async () => {
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
});
