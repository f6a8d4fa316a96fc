import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Pending points by the day they become spendable, so that a member's pending points and pending
 * base points cost at most one row per future day plus today's lots and purchases, however many
 * purchases are inside their return windows.
 *
 * Statement triggers keep the days: every write to `lots.remaining` or to a purchase's base points
 * (purchases, refunds, claw-backs) moves them in the same transaction, so no code path can forget.
 * They keep every day, past ones too, because the ledger's time is its own clock (tests move it
 * backwards and forwards), not the database's. Readers ask only for days after today, and the
 * expiry sweep drops days that have passed.
 */
export class PendingDays1733000000000 implements MigrationInterface {
  name = "PendingDays1733000000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE pending_days (
        member_id uuid NOT NULL,
        day date NOT NULL,
        -- Remaining points of lots that become spendable on this day (UTC).
        lot_points bigint NOT NULL DEFAULT 0,
        -- Base points, less refunded ones, of purchases whose return window ends on this day (UTC).
        base_points bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (member_id, day)
      )`);
    await queryRunner.query(movePendingDays("lots", "lot_points", "remaining"));
    await queryRunner.query(movePendingDays("purchases", "base_points", "base_points - reversed_base_points"));
    for (const table of ["lots", "purchases"]) {
      await queryRunner.query(
        `CREATE TRIGGER ${table}_pending_days_insert AFTER INSERT ON ${table} REFERENCING NEW TABLE AS new_rows
         FOR EACH STATEMENT EXECUTE FUNCTION ${table}_move_pending_days()`,
      );
      await queryRunner.query(
        `CREATE TRIGGER ${table}_pending_days_update AFTER UPDATE ON ${table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
         FOR EACH STATEMENT EXECUTE FUNCTION ${table}_move_pending_days()`,
      );
    }
    // The days of what is already recorded, from yesterday on (earlier days are never read again).
    await queryRunner.query(`
      INSERT INTO pending_days (member_id, day, lot_points, base_points)
      SELECT member_id, day, sum(lot_points), sum(base_points) FROM (
        SELECT member_id, (available_at AT TIME ZONE 'UTC')::date AS day, remaining AS lot_points, 0 AS base_points
        FROM lots WHERE available_at > now() - interval '1 day'
        UNION ALL
        SELECT member_id, (available_at AT TIME ZONE 'UTC')::date, 0, base_points - reversed_base_points
        FROM purchases WHERE available_at > now() - interval '1 day'
      ) recorded GROUP BY 1, 2`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ["lots", "purchases"]) {
      await queryRunner.query(`DROP TRIGGER ${table}_pending_days_update ON ${table}`);
      await queryRunner.query(`DROP TRIGGER ${table}_pending_days_insert ON ${table}`);
      await queryRunner.query(`DROP FUNCTION ${table}_move_pending_days()`);
    }
    await queryRunner.query(`DROP TABLE pending_days`);
  }
}

/**
 * The trigger function of one table: adds what its inserted rows bring to their day's `column`, or,
 * for an update, the difference between the new rows' `value` and the old rows'.
 */
function movePendingDays(table: string, column: string, value: string): string {
  const day = `(available_at AT TIME ZONE 'UTC')::date`;
  const upsert = `ON CONFLICT (member_id, day) DO UPDATE SET ${column} = pending_days.${column} + EXCLUDED.${column}`;
  return `
    CREATE FUNCTION ${table}_move_pending_days() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        INSERT INTO pending_days (member_id, day, ${column})
        SELECT member_id, ${day}, sum(${value}) FROM new_rows GROUP BY 1, 2 ORDER BY 1, 2
        ${upsert};
      ELSE
        INSERT INTO pending_days (member_id, day, ${column})
        SELECT member_id, day, sum(delta) FROM (
          SELECT member_id, ${day} AS day, ${value} AS delta FROM new_rows
          UNION ALL
          SELECT member_id, ${day}, -(${value}) FROM old_rows
        ) moved GROUP BY 1, 2 HAVING sum(delta) <> 0 ORDER BY 1, 2
        ${upsert};
      END IF;
      RETURN NULL;
    END $$`;
}
