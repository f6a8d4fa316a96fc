import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Records purchases in one call to the database: a purchase used to cost a dozen round trips (look up
 * the key, lock the member, read qualifying points, post, write the purchase, the lot and the running
 * totals), and those round trips were most of the ledger's and Postgres's CPU at checkout.
 *
 * `record_purchases` takes purchases as parallel arrays (one or many: the ledger groups purchases that
 * arrive together into one transaction) and answers one row per purchase:
 * - CREATED or REPLAYED with the member's EARN entry (a replay: the same key and fingerprint);
 * - CONFLICT: the key was used with a different fingerprint;
 * - UNKNOWN_MEMBER: the ledger has no account for the member and nobody vouched for them (the caller
 *   asks the members service and calls again with the member in `p_vouched`).
 *
 * What the ledger's code decides stays there and comes in as arguments: base points (the partner's
 * rule), when points become spendable and expire, and the tier table. The database decides what needs
 * the member's lock: the tier at that moment (qualifying points, read after the lock), the bonus, and
 * how much of the member's debt the new points repay.
 *
 * Locks: members in id order as the loop reaches them, then the partners' issuance accounts in id
 * order at the end, the same order as every other ledger write (member accounts before partner ones),
 * so concurrent calls queue instead of deadlocking, and a partner's hot row is held only until commit.
 */
export class RecordPurchases1733100000000 implements MigrationInterface {
  name = "RecordPurchases1733100000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION record_purchases(
        p_keys text[], p_fingerprints text[], p_members uuid[], p_partners uuid[], p_references text[], p_amounts bigint[],
        p_base_points int[], p_earned_at timestamptz[], p_available_at timestamptz[], p_expires_at timestamptz[],
        p_vouched uuid[], p_tier_thresholds bigint[], p_tier_percents int[], p_now timestamptz
      ) RETURNS TABLE (slot int, outcome text, id uuid, member_id uuid, partner_id uuid, entry_kind text, amount bigint, reference text, occurred_at timestamptz)
      LANGUAGE plpgsql AS $$
      #variable_conflict use_column
      DECLARE
        i int;
        found_tx record;
        member_account bigint;
        member_debt bigint;
        qualifying bigint;
        percent int;
        points int;
        repaid int;
        tx_id uuid;
        posted_tx uuid[] := '{}';
        posted_partner uuid[] := '{}';
        posted_points int[] := '{}';
        posted_at timestamptz[] := '{}';
      BEGIN
        INSERT INTO accounts (kind, owner_id) SELECT 'MEMBER', v FROM unnest(p_vouched) v ORDER BY v ON CONFLICT DO NOTHING;
        FOR i IN SELECT s FROM generate_subscripts(p_keys, 1) s ORDER BY p_members[s], s LOOP
          slot := i;
          tx_id := NULL;
          SELECT t.id, t.fingerprint INTO found_tx FROM transactions t WHERE t.idempotency_key = p_keys[i];
          IF NOT FOUND THEN
            SELECT a.id, a.debt INTO member_account, member_debt FROM accounts a WHERE a.kind = 'MEMBER' AND a.owner_id = p_members[i] FOR UPDATE;
            IF NOT FOUND THEN
              outcome := 'UNKNOWN_MEMBER';
              id := NULL; member_id := NULL; partner_id := NULL; entry_kind := NULL; amount := NULL; reference := NULL; occurred_at := NULL;
              RETURN NEXT;
              CONTINUE;
            END IF;
            -- Qualifying points as in QUALIFYING_SQL: base points of the trailing 12 months less those still inside a return window.
            qualifying :=
                coalesce((SELECT sum(q.points) FROM qualifying_points q
                          WHERE q.member_id = p_members[i] AND q.day > ((p_now - interval '12 months') AT TIME ZONE 'UTC')::date), 0)
              - coalesce((SELECT sum(d.base_points) FROM pending_days d
                          WHERE d.member_id = p_members[i] AND d.day > (p_now AT TIME ZONE 'UTC')::date), 0)
              - coalesce((SELECT sum(pu.base_points - pu.reversed_base_points) FROM purchases pu
                          WHERE pu.member_id = p_members[i] AND pu.available_at > p_now
                            AND pu.available_at < ((p_now AT TIME ZONE 'UTC')::date + 1)::timestamp AT TIME ZONE 'UTC'), 0);
            SELECT t.percent INTO percent FROM unnest(p_tier_thresholds, p_tier_percents) AS t(threshold, percent)
            WHERE qualifying >= t.threshold ORDER BY t.threshold DESC LIMIT 1;
            points := (p_base_points[i]::bigint * percent) / 100;
            INSERT INTO transactions (kind, idempotency_key, fingerprint, partner_id, reference, occurred_at)
            VALUES ('EARN', p_keys[i], p_fingerprints[i], p_partners[i], p_references[i], p_earned_at[i])
            ON CONFLICT (idempotency_key) DO NOTHING RETURNING id INTO tx_id;
            -- No row: a concurrent call recorded this key first (the unique index made this one wait for its commit).
            IF tx_id IS NULL THEN
              SELECT t.id, t.fingerprint INTO found_tx FROM transactions t WHERE t.idempotency_key = p_keys[i];
            END IF;
          END IF;
          IF tx_id IS NULL THEN
            IF found_tx.fingerprint <> p_fingerprints[i] THEN
              outcome := 'CONFLICT';
              id := NULL; member_id := NULL; partner_id := NULL; entry_kind := NULL; amount := NULL; reference := NULL; occurred_at := NULL;
              RETURN NEXT;
            ELSE
              RETURN QUERY SELECT i, 'REPLAYED', p.id, p.member_id, t.partner_id, p.entry_kind, p.amount, t.reference, p.occurred_at
                FROM postings p JOIN transactions t ON t.id = p.transaction_id
                WHERE p.transaction_id = found_tx.id AND p.member_id = p_members[i];
            END IF;
            CONTINUE;
          END IF;
          -- New points first repay what refunds left the member owing.
          repaid := least(member_debt, points);
          UPDATE accounts SET balance = balance + points, debt = debt - repaid WHERE id = member_account;
          INSERT INTO purchases (transaction_id, member_id, partner_id, amount_minor, points, base_points, earned_at, available_at)
          VALUES (tx_id, p_members[i], p_partners[i], p_amounts[i], points, p_base_points[i], p_earned_at[i], p_available_at[i]);
          IF points > 0 THEN
            INSERT INTO lots (transaction_id, member_id, partner_id, source, points, remaining, earned_at, available_at, expires_at)
            VALUES (tx_id, p_members[i], p_partners[i], 'EARN', points, points - repaid, p_earned_at[i], p_available_at[i], p_expires_at[i]);
          END IF;
          INSERT INTO member_partner_points (member_id, partner_id, earned) VALUES (p_members[i], p_partners[i], points)
          ON CONFLICT (member_id, partner_id) DO UPDATE SET earned = member_partner_points.earned + EXCLUDED.earned;
          IF p_base_points[i] <> 0 THEN
            INSERT INTO qualifying_points (member_id, day, points) VALUES (p_members[i], (p_earned_at[i] AT TIME ZONE 'UTC')::date, p_base_points[i])
            ON CONFLICT (member_id, day) DO UPDATE SET points = qualifying_points.points + EXCLUDED.points;
          END IF;
          RETURN QUERY INSERT INTO postings (transaction_id, account_id, amount, occurred_at, member_id, entry_kind)
            VALUES (tx_id, member_account, points, p_earned_at[i], p_members[i], 'EARN')
            RETURNING i, 'CREATED', id, member_id, p_partners[i], entry_kind, amount, p_references[i], occurred_at;
          posted_tx := posted_tx || tx_id;
          posted_partner := posted_partner || p_partners[i];
          posted_points := posted_points || points;
          posted_at := posted_at || p_earned_at[i];
        END LOOP;
        -- The partners' side of every new transaction: their issuance accounts in id order, then the postings.
        WITH posted AS (
          SELECT * FROM unnest(posted_tx, posted_partner, posted_points, posted_at) AS c(tx, partner, points, at)
        ), moved AS (
          INSERT INTO accounts (kind, owner_id, balance)
          SELECT 'PARTNER_ISSUANCE', partner, -sum(points) FROM posted GROUP BY partner ORDER BY partner
          ON CONFLICT (kind, owner_id) DO UPDATE SET balance = accounts.balance + EXCLUDED.balance
          RETURNING id, owner_id
        )
        INSERT INTO postings (transaction_id, account_id, amount, occurred_at)
        SELECT posted.tx, moved.id, -posted.points, posted.at FROM posted JOIN moved ON moved.owner_id = posted.partner;
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION record_purchases`);
  }
}
