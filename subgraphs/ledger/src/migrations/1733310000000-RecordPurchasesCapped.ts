import type { MigrationInterface, QueryRunner } from "typeorm";
import { RecordPurchases1733100000000 } from "./1733100000000-RecordPurchases";

/**
 * `record_purchases` with the member points cap (README, "Ranges"): a purchase that would take the
 * member's lifetime earned points or balance past `p_points_cap` is refused with outcome LIMIT_EXCEEDED
 * (`over_limit` names the figure, `amount` the value it would reach) and writes nothing; the rest of
 * its group is written as before. The check reads the member's figures after the member's lock, in
 * the same statement as the write, so concurrent purchases cannot pass the cap together (the writer
 * puts at most one purchase per member in a call). The cap comes in as an argument, from
 * MEMBER_POINTS_CAP (src/limits.ts), its one home.
 *
 * Otherwise the function is RecordPurchases1733100000000's, which down() restores.
 */
export class RecordPurchasesCapped1733310000000 implements MigrationInterface {
  name = "RecordPurchasesCapped1733310000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    // The signature changes (a new argument, a new column), so the old function is dropped, not replaced.
    await queryRunner.query(`DROP FUNCTION record_purchases`);
    await queryRunner.query(`
      CREATE FUNCTION record_purchases(
        p_keys text[], p_fingerprints text[], p_members uuid[], p_partners uuid[], p_references text[], p_amounts bigint[],
        p_base_points int[], p_earned_at timestamptz[], p_available_at timestamptz[], p_expires_at timestamptz[],
        p_vouched uuid[], p_tier_thresholds bigint[], p_tier_percents int[], p_now timestamptz, p_points_cap bigint
      ) RETURNS TABLE (slot int, outcome text, id uuid, member_id uuid, partner_id uuid, entry_kind text, amount bigint, reference text, occurred_at timestamptz, over_limit text)
      LANGUAGE plpgsql AS $$
      #variable_conflict use_column
      BEGIN
        INSERT INTO accounts (kind, owner_id) SELECT 'MEMBER', v FROM unnest(p_vouched) v ORDER BY v ON CONFLICT DO NOTHING;
        -- The members' locks first, in id order; what depends on their earlier purchases is read after (a new snapshot).
        PERFORM 1 FROM accounts a WHERE a.kind = 'MEMBER' AND a.owner_id = ANY(p_members) ORDER BY a.owner_id FOR UPDATE;
        RETURN QUERY
        WITH input AS (
          SELECT * FROM unnest(p_keys, p_fingerprints, p_members, p_partners, p_references, p_amounts, p_base_points, p_earned_at, p_available_at, p_expires_at)
            WITH ORDINALITY AS i(key, fingerprint, member, partner, reference, amount_minor, base_points, earned_at, available_at, expires_at, slot)
        ), recorded AS (
          SELECT i.slot, t.id AS tx, t.fingerprint = i.fingerprint AS same_input
          FROM input i JOIN transactions t ON t.idempotency_key = i.key
        ), fresh AS (
          SELECT i.*, a.id AS account, a.debt, a.balance,
                 coalesce((SELECT sum(mpp.earned) FROM member_partner_points mpp WHERE mpp.member_id = i.member), 0)::bigint AS lifetime_earned,
                 -- Qualifying points as in QUALIFYING_SQL: base points of the trailing 12 months less those still inside a return window.
                 coalesce((SELECT sum(q.points) FROM qualifying_points q
                           WHERE q.member_id = i.member AND q.day > ((p_now - interval '12 months') AT TIME ZONE 'UTC')::date), 0)
               - coalesce((SELECT sum(d.base_points) FROM pending_days d
                           WHERE d.member_id = i.member AND d.day > (p_now AT TIME ZONE 'UTC')::date), 0)
               - coalesce((SELECT sum(pu.base_points - pu.reversed_base_points) FROM purchases pu
                           WHERE pu.member_id = i.member AND pu.available_at > p_now
                             AND pu.available_at < ((p_now AT TIME ZONE 'UTC')::date + 1)::timestamp AT TIME ZONE 'UTC'), 0) AS qualifying
          FROM input i JOIN accounts a ON a.kind = 'MEMBER' AND a.owner_id = i.member
          WHERE NOT EXISTS (SELECT FROM recorded r WHERE r.slot = i.slot)
        ), priced AS (
          SELECT f.*, (f.base_points::bigint * coalesce(
                   (SELECT t.percent FROM unnest(p_tier_thresholds, p_tier_percents) AS t(threshold, percent)
                    WHERE f.qualifying >= t.threshold ORDER BY t.threshold DESC LIMIT 1), p_tier_percents[1])) / 100 AS points
          FROM fresh f
        ), checked AS (
          -- The member's figures after this purchase against the cap (read under the member's lock, one purchase per member per call).
          SELECT p.*, CASE WHEN p.lifetime_earned + p.points > p_points_cap THEN 'lifetimeEarned'
                           WHEN p.balance + p.points > p_points_cap THEN 'balance' END AS over_limit
          FROM priced p
        ), tx AS (
          -- A key a concurrent call records first is skipped here (after waiting for its commit); the caller asks again.
          INSERT INTO transactions (kind, idempotency_key, fingerprint, partner_id, reference, occurred_at)
          SELECT 'EARN', p.key, p.fingerprint, p.partner, p.reference, p.earned_at FROM checked p WHERE p.over_limit IS NULL ORDER BY p.slot
          ON CONFLICT (idempotency_key) DO NOTHING RETURNING transactions.id, transactions.idempotency_key
        ), made AS (
          -- New points first repay what refunds left the member owing.
          SELECT p.*, tx.id AS tx, least(p.debt, p.points) AS repaid FROM checked p JOIN tx ON tx.idempotency_key = p.key
        ), member_balances AS (
          UPDATE accounts a SET balance = a.balance + m.points, debt = a.debt - m.repaid FROM made m WHERE a.id = m.account
        ), purchase_rows AS (
          INSERT INTO purchases (transaction_id, member_id, partner_id, amount_minor, points, base_points, earned_at, available_at)
          SELECT m.tx, m.member, m.partner, m.amount_minor, m.points, m.base_points, m.earned_at, m.available_at FROM made m
        ), lot_rows AS (
          INSERT INTO lots (transaction_id, member_id, partner_id, source, points, remaining, earned_at, available_at, expires_at)
          SELECT m.tx, m.member, m.partner, 'EARN', m.points, m.points - m.repaid, m.earned_at, m.available_at, m.expires_at FROM made m WHERE m.points > 0
        ), partner_totals AS (
          INSERT INTO member_partner_points AS mpp (member_id, partner_id, earned)
          SELECT m.member, m.partner, m.points FROM made m ORDER BY 1, 2
          ON CONFLICT (member_id, partner_id) DO UPDATE SET earned = mpp.earned + EXCLUDED.earned
        ), qualifying_days AS (
          INSERT INTO qualifying_points AS q (member_id, day, points)
          SELECT m.member, (m.earned_at AT TIME ZONE 'UTC')::date, m.base_points FROM made m WHERE m.base_points <> 0 ORDER BY 1, 2
          ON CONFLICT (member_id, day) DO UPDATE SET points = q.points + EXCLUDED.points
        ), issued AS (
          -- The partners' issuance accounts, in id order: a hot row, locked last and held only until commit.
          INSERT INTO accounts AS a (kind, owner_id, balance)
          SELECT 'PARTNER_ISSUANCE', m.partner, -sum(m.points) FROM made m GROUP BY m.partner ORDER BY m.partner
          ON CONFLICT (kind, owner_id) DO UPDATE SET balance = a.balance + EXCLUDED.balance
          RETURNING a.id, a.owner_id
        ), partner_postings AS (
          INSERT INTO postings (transaction_id, account_id, amount, occurred_at)
          SELECT m.tx, issued.id, -m.points, m.earned_at FROM made m JOIN issued ON issued.owner_id = m.partner
        ), member_postings AS (
          INSERT INTO postings AS po (transaction_id, account_id, amount, occurred_at, member_id, entry_kind)
          SELECT m.tx, m.account, m.points, m.earned_at, m.member, 'EARN' FROM made m
          RETURNING po.id, po.transaction_id, po.member_id, po.entry_kind, po.amount, po.occurred_at
        )
        SELECT m.slot::int, 'CREATED', mp.id, mp.member_id, m.partner, mp.entry_kind, mp.amount, m.reference, mp.occurred_at, NULL::text
        FROM member_postings mp JOIN made m ON m.tx = mp.transaction_id
        UNION ALL
        SELECT r.slot::int, 'REPLAYED', po.id, po.member_id, t.partner_id, po.entry_kind, po.amount, t.reference, po.occurred_at, NULL
        FROM recorded r JOIN input i ON i.slot = r.slot JOIN transactions t ON t.id = r.tx
        JOIN postings po ON po.transaction_id = r.tx AND po.member_id = i.member
        WHERE r.same_input
        UNION ALL
        SELECT r.slot::int, 'CONFLICT', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM recorded r WHERE NOT r.same_input
        UNION ALL
        -- Refused: the figure it would pass and the value it would reach.
        SELECT c.slot::int, 'LIMIT_EXCEEDED', NULL, c.member, NULL, NULL,
               CASE c.over_limit WHEN 'lifetimeEarned' THEN c.lifetime_earned ELSE c.balance END + c.points, NULL, NULL, c.over_limit
        FROM checked c WHERE c.over_limit IS NOT NULL
        UNION ALL
        SELECT i.slot::int, 'UNKNOWN_MEMBER', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM input i
        WHERE NOT EXISTS (SELECT FROM recorded r WHERE r.slot = i.slot) AND NOT EXISTS (SELECT FROM fresh f WHERE f.slot = i.slot);
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION record_purchases`);
    await new RecordPurchases1733100000000().up(queryRunner);
  }
}
