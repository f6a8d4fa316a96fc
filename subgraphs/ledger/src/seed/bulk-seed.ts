import type { DataSource } from "typeorm";
import type { SeedPartner } from "../../../../shared/src/seed/plan";
import { expiresAt } from "../rules";
import { EARN_MONTH_SQL } from "../sql/earn-months";
import type { EarnedPurchase } from "./earnings";

/**
 * Bulk seeding of the ledger's own tables: for a batch of new members, the rows PurchaseService.record
 * writes for each of their purchases (an EARN transaction of two postings, the purchase, its lot) and
 * the running state those writes add up to (account balances, per-partner totals, daily qualifying
 * buckets), in one transaction and a few set-based statements.
 */

/** Each partner's issuance account, created (at zero) before any batch so that batches only ever update it. */
export async function prepareLedgerPartners(dataSource: DataSource, partners: SeedPartner[]): Promise<void> {
  await dataSource.query(
    `INSERT INTO accounts (kind, owner_id) SELECT 'PARTNER_ISSUANCE', id FROM unnest($1::uuid[]) AS id ORDER BY id ON CONFLICT DO NOTHING`,
    [partners.map((p) => p.id)],
  );
}

/** Members of these that the ledger already holds: a member's rows are written in one transaction, so an account means all of them. */
export async function seededLedgerMembers(dataSource: DataSource, memberIds: string[]): Promise<Set<string>> {
  const rows: { owner_id: string }[] = await dataSource.query(`SELECT owner_id FROM accounts WHERE kind = 'MEMBER' AND owner_id = ANY($1::uuid[])`, [memberIds]);
  return new Set(rows.map((row) => row.owner_id));
}

/** How many purchases a member has in the ledger (to refuse reseeding the heavy member with another size). */
export async function ledgerPurchaseCount(dataSource: DataSource, memberId: string): Promise<number> {
  const [row] = await dataSource.query(`SELECT count(*) AS n FROM purchases WHERE member_id = $1`, [memberId]);
  return Number(row.n);
}

export interface LedgerBatchMember {
  id: string;
  /** Enrolment order: the member's ledger ids start with it. */
  position: number;
  /** The member's reference prefix: its purchases are `seed-<ref>-<k>`. */
  ref: string;
  purchases: EarnedPurchase[];
}

/**
 * Ids of seeded ledger rows, in the layout of a version-3 UUID (the API checks it): the member's
 * position, the purchase number, a tag (0 transaction, 1 member posting, 2 issuance posting), then
 * a hash of the idempotency key. They sort by member, so each batch's inserts land at one end of the
 * uuid indexes, as serial ids would; random ids would scatter them over every page of indexes far
 * larger than shared_buffers, several times slower at a million purchases.
 */
const seededId = (tag: number) =>
  `(lpad(to_hex(position), 12, '0') || '3' || left(lpad(to_hex(k), 8, '0'), 3) || '8' || right(lpad(to_hex(k), 8, '0'), 5) || '${tag}' || left(key_hash, 9))::uuid`;

/**
 * One statement for the whole batch. `purchase` computes each purchase's derived columns once: the
 * idempotency key and fingerprint exactly as PurchaseService builds them (JSON.stringify of
 * { memberId, amountMinor, currency, occurredAt: null }: recorded live), and the times: available
 * after the return window, expiring POINTS_EXPIRY_MONTHS later (both computed by the rules, in
 * TypeScript, and passed in). Rows go in by member then purchase number (= time), so posting seq and lot ids grow with
 * time for each member, as when purchases are recorded live. Foreign keys are checked at the end.
 */
const BATCH_SQL = `
  WITH member AS (
    SELECT * FROM unnest($1::uuid[], $2::int[], $3::text[]) WITH ORDINALITY AS m(member_id, position, ref, mi)
  ), partner AS (
    SELECT * FROM unnest($4::uuid[], $5::text[], $6::int[]) WITH ORDINALITY AS p(partner_id, currency, window_days, pi)
  ), input AS (
    SELECT m.member_id, m.position, pa.partner_id, pa.currency, x.amount, x.base, x.points, x.tier_qualifying, x.k,
           'purchase:' || pa.partner_id || ':seed-' || m.ref || '-' || x.k AS idempotency_key, 'seed-' || m.ref || '-' || x.k AS reference,
           to_timestamp(x.epoch) AS earned_at, to_timestamp(x.available) AS available_at, to_timestamp(x.expires) AS expires_at
    FROM unnest($7::int[], $8::int[], $9::int[], $10::bigint[], $11::bigint[], $12::int[], $13::int[], $14::bigint[], $15::bigint[], $16::bigint[])
      AS x(mi, k, pi, amount, epoch, base, points, available, expires, tier_qualifying)
    JOIN member m USING (mi) JOIN partner pa USING (pi)
  ), purchase AS MATERIALIZED (
    SELECT ${seededId(0)} AS transaction_id, ${seededId(1)} AS member_posting_id, ${seededId(2)} AS issuance_posting_id, *
    FROM (SELECT *, md5(idempotency_key) AS key_hash FROM input) i
    ORDER BY position, k
  ), tx AS (
    INSERT INTO transactions (id, kind, idempotency_key, fingerprint, partner_id, reference, occurred_at, recorded_at)
    SELECT transaction_id, 'EARN', idempotency_key,
           encode(sha256(convert_to('{"memberId":"' || member_id || '","amountMinor":' || amount || ',"currency":"' || currency || '","occurredAt":null}', 'UTF8')), 'hex'),
           partner_id, reference, earned_at, earned_at
    FROM purchase
    RETURNING 1
  ), member_account AS (
    -- Every member of the batch gets its account, even with no purchase: it marks the member as seeded.
    INSERT INTO accounts (kind, owner_id, balance)
    SELECT 'MEMBER', m.member_id, coalesce(sum(p.points), 0) FROM member m LEFT JOIN purchase p USING (member_id)
    GROUP BY m.member_id ORDER BY m.member_id
    RETURNING id, owner_id
  ), issuance AS (
    SELECT id, owner_id FROM accounts WHERE kind = 'PARTNER_ISSUANCE' AND owner_id IN (SELECT partner_id FROM partner)
  ), posting AS (
    INSERT INTO postings (id, transaction_id, account_id, amount, occurred_at, member_id, entry_kind)
    SELECT id, transaction_id, account_id, amount, occurred_at, member_id, entry_kind FROM (
      SELECT p.member_posting_id AS id, p.transaction_id, a.id AS account_id, p.points AS amount, p.earned_at AS occurred_at,
             p.member_id, 'EARN' AS entry_kind, p.position, p.k, 0 AS side
      FROM purchase p JOIN member_account a ON a.owner_id = p.member_id
      UNION ALL
      SELECT p.issuance_posting_id, p.transaction_id, i.id, -p.points, p.earned_at, NULL, NULL, p.position, p.k, 1
      FROM purchase p JOIN issuance i ON i.owner_id = p.partner_id
    ) x ORDER BY position, k, side
    RETURNING 1
  ), purchase_row AS (
    INSERT INTO purchases (transaction_id, member_id, partner_id, amount_minor, points, base_points, earned_at, available_at, tier_qualifying_points)
    SELECT transaction_id, member_id, partner_id, amount, points, base, earned_at, available_at, tier_qualifying FROM purchase
    RETURNING 1
  ), lot AS (
    -- insertLots skips empty lots.
    -- With its issue price (as record_purchases writes it), so the clearing house's per-row default never runs here.
    INSERT INTO lots (transaction_id, member_id, partner_id, source, points, remaining, earned_at, available_at, expires_at, issue_price_per_1000)
    SELECT transaction_id, member_id, partner_id, 'EARN', points, points, earned_at, available_at, expires_at, clearing_issue_price(partner_id, earned_at)
    FROM purchase WHERE points > 0
    RETURNING 1
  ), partner_points AS (
    -- addPartnerPoints runs for every purchase, zero points included.
    INSERT INTO member_partner_points (member_id, partner_id, earned)
    SELECT member_id, partner_id, sum(points) FROM purchase GROUP BY member_id, partner_id
    RETURNING 1
  ), qualifying AS (
    -- addQualifying skips zero base points.
    INSERT INTO qualifying_points (member_id, day, points)
    SELECT member_id, (earned_at AT TIME ZONE 'UTC')::date, sum(base) FROM purchase GROUP BY 1, 2 HAVING sum(base) <> 0
    RETURNING 1
  ), earn_months AS (
    -- The trigger that keeps member_earn_months does not fire in replica mode either (sql/earn-months.ts).
    -- Seeded history has no posting time, so its month is the purchase's own (INSIGHT_MONTH_SQL's coalesce).
    INSERT INTO member_earn_months (month, member_id, partner_id)
    SELECT DISTINCT ${EARN_MONTH_SQL("earned_at")}, member_id, partner_id FROM purchase
    WHERE current_setting('session_replication_role') = 'replica'
    ORDER BY 1, 2, 3 ON CONFLICT DO NOTHING
    RETURNING 1
  ), pending AS (
    -- The triggers that keep pending_days do not fire in replica mode (below); then the rows come from
    -- here, from yesterday on: seeded history is read at the real time, and earlier days never are.
    INSERT INTO pending_days (member_id, day, lot_points, base_points)
    SELECT member_id, (available_at AT TIME ZONE 'UTC')::date, sum(points), sum(base) FROM purchase
    WHERE available_at > now() - interval '1 day' AND current_setting('session_replication_role') = 'replica'
    GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (member_id, day) DO UPDATE
    SET lot_points = pending_days.lot_points + EXCLUDED.lot_points, base_points = pending_days.base_points + EXCLUDED.base_points
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM tx) AS transactions, (SELECT count(*) FROM posting) AS postings,
         (SELECT count(*) FROM member_account) + (SELECT count(*) FROM purchase_row) + (SELECT count(*) FROM lot)
           + (SELECT count(*) FROM partner_points) + (SELECT count(*) FROM qualifying) + (SELECT count(*) FROM pending) AS other_rows`;

/** Writes a batch of members the ledger does not hold yet; returns the rows written. */
export async function writeLedgerBatch(dataSource: DataSource, partners: SeedPartner[], members: LedgerBatchMember[], expiryMonths: number): Promise<number> {
  const purchases = members.flatMap((member, index) => member.purchases.map((p) => ({ mi: index + 1, p })));
  const issued = new Map<string, number>();
  for (const { p } of purchases) issued.set(partners[p.partner].id, (issued.get(partners[p.partner].id) ?? 0) + p.points);
  const issuers = [...issued.keys()].sort();
  return dataSource.transaction(async (manager) => {
    // Seed data can be rebuilt: do not wait for the WAL flush at every commit.
    await manager.query(`SET LOCAL synchronous_commit = off`);
    // Sorts of a whole batch stay in memory.
    await manager.query(`SET LOCAL work_mem = '128MB'`);
    // Every row that references another is built in this batch's statement from the rows it inserts
    // (and the counts are checked below), so the per-row foreign-key checks, a quarter of the time,
    // can find nothing. Replica mode skips them (triggers do not fire); it needs a superuser, and
    // without one they simply run. History's append-only triggers guard UPDATE and DELETE, never done here.
    await manager.query(`SELECT set_config('session_replication_role', 'replica', true) WHERE current_setting('is_superuser') = 'on'`);
    const [counts] = await manager.query(BATCH_SQL, [
      members.map((m) => m.id),
      members.map((m) => m.position),
      members.map((m) => m.ref),
      partners.map((p) => p.id),
      partners.map((p) => p.currency),
      partners.map((p) => p.returnWindowDays),
      purchases.map(({ mi }) => mi),
      purchases.map(({ p }) => p.k),
      purchases.map(({ p }) => p.partner + 1),
      purchases.map(({ p }) => p.amountMinor),
      purchases.map(({ p }) => p.at),
      purchases.map(({ p }) => p.base),
      purchases.map(({ p }) => p.points),
      // Times from the rules (rules/windows.ts availableAt, rules/expiry.ts expiresAt), never recomputed here.
      purchases.map(({ p }) => p.availableAt),
      purchases.map(({ p }) => expiresAt(new Date(p.at * 1000), expiryMonths).getTime() / 1000),
      purchases.map(({ p }) => p.tierQualifyingPoints),
    ]);
    if (Number(counts.transactions) !== purchases.length || Number(counts.postings) !== 2 * purchases.length) {
      throw new Error(`Ledger seed batch wrote ${counts.transactions} transactions and ${counts.postings} postings for ${purchases.length} purchases`);
    }
    // Last, in id order: the partners' issuance accounts are shared by every batch (and by live
    // purchases), so their row locks are held only from here to the commit. NO KEY UPDATE (what an
    // UPDATE takes) does not conflict with the KEY SHARE locks other batches' postings take on them.
    await manager.query(`SELECT 1 FROM accounts WHERE kind = 'PARTNER_ISSUANCE' AND owner_id = ANY($1::uuid[]) ORDER BY owner_id FOR NO KEY UPDATE`, [issuers]);
    await manager.query(
      `UPDATE accounts a SET balance = a.balance - d.points FROM unnest($1::uuid[], $2::bigint[]) AS d(owner_id, points)
       WHERE a.kind = 'PARTNER_ISSUANCE' AND a.owner_id = d.owner_id`,
      [issuers, issuers.map((id) => issued.get(id)!)],
    );
    return Number(counts.transactions) + Number(counts.postings) + Number(counts.other_rows);
  });
}
