import { expectClearingConsistent, inLedgerTransaction, periodOf, setTerms, statementOf } from "./support/clearing";
import { createReward, enrollMember, recordPurchase, redeem, registerPartner } from "./support/fixtures";
import { ok } from "./support/gateway";
import { expectLedgerConsistent, travel } from "./support/ledger";

/**
 * README, Erasure step 2 and The clearing house: an erased member's forfeited points are breakage. Each
 * lot is forfeited by an ADJUSTMENT of its own, valued in its issuer's BREAKAGE line at the lot's price
 * and the breakage share, so `Partner.liability` drops to what other members still hold. Prices are cents
 * per 1,000 points; every figure worked out by hand in the comments.
 */
beforeAll(() => travel(0));

const LIABILITY = `query($id: ID!) { partner(id: $id) { liability { pointsOutstanding value } } }`;
const SETTLED = `query($id: ID!, $from: DateTimeISO!, $to: DateTimeISO!) { partner(id: $id) { settlement(from: $from, to: $to) { pointsExpired outstandingLiability } } }`;
const liabilityOf = async (id: string) => (await ok(LIABILITY, { id })).partner.liability;
/** Partner.settlement over the day before and after now (every movement of these tests). */
const settledAroundNow = async (id: string) =>
  (await ok(SETTLED, { id, from: new Date(Date.now() - 86_400_000).toISOString(), to: new Date(Date.now() + 86_400_000).toISOString() })).partner.settlement;

it("an erasure's forfeit is each issuer's breakage: its liability drops, its share is credited", async () => {
  const grocer = await registerPartner({ pointsPerUnit: 1, returnWindowDays: 0 });
  const hotel = await registerPartner({ pointsPerUnit: 1, returnWindowDays: 30 });
  await setTerms(grocer.id, { issue: 1500, redemption: 1000, share: 40 });
  await setTerms(hotel.id, { issue: 2000, redemption: 0, share: 25 });
  const member = await enrollMember();
  await recordPurchase(grocer, member.id, 100_000); // 1,000 points at 1,500
  await recordPurchase(hotel, member.id, 30_000); // 300 points at 2,000, pending
  await redeem(member.id, (await createReward(grocer.id, { costPoints: 400 })).id); // 400 of the grocer's

  // Before: the grocer 1,000 − 400 = 600 points, 600 × 1,500 / 1,000 = 900 cents; the hotel 300 × 2,000 / 1,000 = 600 cents.
  expect(await liabilityOf(grocer.id)).toEqual({ pointsOutstanding: 600, value: 900 });
  expect(await liabilityOf(hotel.id)).toEqual({ pointsOutstanding: 300, value: 600 });

  expect(await ok(`mutation($id: ID!) { eraseMember(id: $id) }`, { id: member.id })).toEqual({ eraseMember: true });

  // After: nothing outstanding (before this, the forfeit sat in OTHER and both stayed as above).
  expect(await liabilityOf(grocer.id)).toEqual({ pointsOutstanding: 0, value: 0 });
  expect(await liabilityOf(hotel.id)).toEqual({ pointsOutstanding: 0, value: 0 });
  // The grocer: issued 1,000 at 1,500 = 1,500; redeemed 400 at 1,000 = −400; 600 forfeited, 40% of 600 × 1,500 / 1,000 = −360. Net 740.
  const period = periodOf(new Date());
  const grocers = await statementOf(grocer.id, period);
  expect(grocers).toMatchObject({ pointsIssued: 1_000, pointsRedeemed: 400, pointsExpired: 600, issuedAmount: 1_500, redeemedAmount: -400, expiredAmount: -360, netAmount: 740 });
  expect(grocers.lines).toContainEqual({ kind: "BREAKAGE", points: 600, amount: -360 });
  expect(grocers.lines.map((l: { kind: string }) => l.kind)).not.toContain("OTHER");
  // The hotel: issued 300 at 2,000 = 600; 300 forfeited (pending ones too), 25% of 300 × 2,000 / 1,000 = −150. Net 450.
  expect(await statementOf(hotel.id, period)).toMatchObject({ pointsIssued: 300, pointsExpired: 300, issuedAmount: 600, expiredAmount: -150, netAmount: 450 });
  // Partner.settlement counts the forfeit among the points gone to breakage, as the statement does.
  expect(await settledAroundNow(grocer.id)).toEqual({ pointsExpired: 600, outstandingLiability: 0 });

  await expectLedgerConsistent();
  await expectClearingConsistent();
}, 60_000);

it("an erasure forfeited before ErasureForfeitsAsBreakage (one ADJUSTMENT, no lot) stays OTHER, and clearing:verify agrees", async () => {
  const shop = await registerPartner({ pointsPerUnit: 1, returnWindowDays: 0 });
  await setTerms(shop.id, { issue: 1500, redemption: 0, share: 40 });
  const member = await enrollMember();
  await recordPurchase(shop, member.id, 10_000); // 100 points
  // As the ledger wrote an erasure's forfeit before: one ADJUSTMENT for every lot, to the issuers' breakage, naming no lot.
  await inLedgerTransaction(async (db) => {
    const [{ id }] = (await db.query(
      `INSERT INTO transactions (kind, idempotency_key, fingerprint, partner_id, reference, occurred_at, posted_at) VALUES ('ADJUSTMENT', $1, 'old-form', NULL, NULL, now(), now()) RETURNING id`,
      [`erasure:${member.id}`],
    )).rows;
    await db.query(
      `WITH moved AS (
         INSERT INTO accounts (kind, owner_id, balance) VALUES ('MEMBER', $2, -100), ('PARTNER_BREAKAGE', $3, 100)
         ON CONFLICT (kind, owner_id) DO UPDATE SET balance = accounts.balance + EXCLUDED.balance RETURNING id, kind, owner_id
       )
       INSERT INTO postings (transaction_id, account_id, amount, occurred_at, member_id, entry_kind)
       SELECT $1, id, CASE WHEN kind = 'MEMBER' THEN -100 ELSE 100 END, now(), CASE WHEN kind = 'MEMBER' THEN owner_id END, CASE WHEN kind = 'MEMBER' THEN 'ADJUSTMENT' END FROM moved`,
      [id, member.id, shop.id],
    );
    await db.query(`UPDATE lots SET remaining = 0 WHERE member_id = $1`, [member.id]);
  });
  const statement = await statementOf(shop.id, periodOf(new Date()));
  expect(statement).toMatchObject({ pointsIssued: 100, pointsExpired: 0, expiredAmount: 0 });
  expect(statement.lines).toContainEqual({ kind: "OTHER", points: 100, amount: 0 });
  // Partner.settlement agrees: not expired, as before.
  expect(await settledAroundNow(shop.id)).toEqual({ pointsExpired: 0, outstandingLiability: 0 });
  await expectLedgerConsistent();
  await expectClearingConsistent();
}, 60_000);

it("a member with 5,000 lots is erased in one answer, every lot forfeited once, and terms set meanwhile are not held up", async () => {
  const shop = await registerPartner({ pointsPerUnit: 1, returnWindowDays: 0 });
  const other = await registerPartner({ pointsPerUnit: 1, returnWindowDays: 0 });
  await setTerms(shop.id, { issue: 1500, redemption: 0, share: 40 });
  const member = await enrollMember();
  await recordPurchase(shop, member.id, 500_000); // 5,000 points in one lot, split below into 5,000 lots of one point each
  await inLedgerTransaction(async (db) => {
    const [lot] = (await db.query(`SELECT * FROM lots WHERE member_id = $1`, [member.id])).rows;
    // Still the purchase's 5,000 points in its lots (ledger:verify checks that), the first of them this one.
    await db.query(`UPDATE lots SET points = 1, remaining = 1 WHERE id = $1`, [lot.id]);
    await db.query(
      `INSERT INTO lots (transaction_id, member_id, partner_id, source, points, remaining, earned_at, available_at, expires_at, issue_price_per_1000)
       SELECT $1, $2, $3, 'EARN', 1, 1, $4, $5, $6, $7 FROM generate_series(1, 4999)`,
      [lot.transaction_id, member.id, shop.id, lot.earned_at, lot.available_at, lot.expires_at, lot.issue_price_per_1000],
    );
  });
  // One postTransaction per lot took 6.6 s here (past SERVICE_CALL_TIMEOUT_MS: UPSTREAM_UNAVAILABLE), holding the clearing lock.
  const [erased, terms] = await Promise.all([
    ok(`mutation($id: ID!) { eraseMember(id: $id) }`, { id: member.id }),
    new Promise((resolve) => setTimeout(resolve, 200)).then(() => setTerms(other.id, { issue: 1000, redemption: 0, share: 10 })),
  ]);
  expect(erased).toEqual({ eraseMember: true });
  expect(terms.version).toBe(1);
  // Each of the 5,000 lots by an ADJUSTMENT of its own, once, one point each.
  const forfeits = await inLedgerTransaction(async (db) =>
    (await db.query(
      `SELECT count(*)::int AS transactions, count(DISTINCT t.expired_lot_id)::int AS lots, sum(p.amount)::int AS points
       FROM transactions t JOIN postings p ON p.transaction_id = t.id AND p.member_id IS NULL WHERE t.idempotency_key LIKE $1`,
      [`erasure:${member.id}:lot:%`],
    )).rows[0],
  );
  expect(forfeits).toEqual({ transactions: 5_000, lots: 5_000, points: 5_000 });
  // 5,000 × 1 point at 1,500, 40 %: 5,000 × 1,500 × 40 % / 1,000 = 3,000 cents.
  expect(await liabilityOf(shop.id)).toEqual({ pointsOutstanding: 0, value: 0 });
  expect(await statementOf(shop.id, periodOf(new Date()))).toMatchObject({ pointsExpired: 5_000, expiredAmount: -3_000 });
  await expectLedgerConsistent();
  await expectClearingConsistent();
}, 120_000);
