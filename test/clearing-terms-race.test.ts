import type { Client } from "pg";
import { expectClearingConsistent, ledgerClient, periodOf, setTerms, statementOf } from "./support/clearing";
import { enrollMember, recordPurchase, registerPartner } from "./support/fixtures";

/**
 * New terms racing a purchase (an outside review, 2026-12-05): `setPartnerTerms` without
 * `effectiveFrom` takes effect "now", and a movement posted at or after that instant is valued at the
 * new terms, whenever the terms' transaction commits. Before TermsAfterWriters1734810000000 the terms
 * read their clock before they committed and a purchase posted in between was priced at the old ones
 * (its statement charged 1,000 instead of 5,000) while the terms said the new ones were in force:
 * `clearing:verify` then failed on every later run, the rows being append-only.
 */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `count` sessions of the ledger's database wait on an advisory lock. */
async function untilWaitingOnAdvisoryLocks(db: Client, count: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`);
    if (rows[0].n >= count) return;
    await sleep(10);
  }
  throw new Error(`expected ${count} sessions waiting on an advisory lock`);
}

it("a purchase posted while new terms commit is valued at them, and clearing:verify agrees", async () => {
  const shop = await registerPartner({ pointsPerUnit: 1, returnWindowDays: 0 });
  const member = await enrollMember();
  await setTerms(shop.id, { issue: 1000, redemption: 0, share: 0 });
  const db = await ledgerClient();
  try {
    // The terms' transaction held up after it read its clock (a busy database): this session holds the
    // per-partner lock the terms take after the clearing lock and their clock.
    await db.query(`SELECT pg_advisory_lock(hashtext('partner_terms:' || $1))`, [shop.id]);
    const newTerms = setTerms(shop.id, { issue: 5000, redemption: 0, share: 0 }); // effectiveFrom omitted: "now"
    await untilWaitingOnAdvisoryLocks(db, 1);
    // 1,000 points, posted after the terms' "now": it waits for the terms (the clearing lock, shared).
    const purchase = recordPurchase(shop, member.id, 100_000);
    await untilWaitingOnAdvisoryLocks(db, 2);
    await sleep(100);
    await db.query(`SELECT pg_advisory_unlock(hashtext('partner_terms:' || $1))`, [shop.id]);
    const [v2, entry] = await Promise.all([newTerms, purchase]);
    const { rows } = await db.query(
      `SELECT t.posted_at, l.issue_price_per_1000::int AS price FROM postings p JOIN transactions t ON t.id = p.transaction_id JOIN lots l ON l.transaction_id = t.id WHERE p.id = $1`,
      [entry.id],
    );
    expect(rows[0].posted_at.getTime()).toBeGreaterThanOrEqual(new Date(v2.effectiveFrom).getTime());
    // 1,000 points at 5,000 per 1,000 = 5,000 minor units.
    const statement = await statementOf(shop.id, periodOf(rows[0].posted_at));
    expect({ version: v2.version, price: rows[0].price, issuedAmount: statement.issuedAmount }).toEqual({ version: 2, price: 5000, issuedAmount: 5000 });
  } finally {
    await db.end();
  }
  await expectClearingConsistent();
}, 60_000);
