import type { FunctionDefinition } from "./function-definition";

/**
 * The current definitions of the trigger functions that keep `pending_days` (points by the UTC day
 * they become spendable: the pending window of rules/windows.ts, kept as running state). Installed by
 * the PendingDays migration (whose text is history); test/ledger-sql.test.ts fails while the
 * database's functions differ from these. A change goes here and into a new migration that installs it.
 *
 * Each adds what its table's inserted rows bring to their day's `column`, or, for an update, the
 * difference between the new rows' `value` and the old rows'.
 */
function movePendingDays(table: string, column: string, value: string): FunctionDefinition {
  const day = `(available_at AT TIME ZONE 'UTC')::date`;
  const upsert = `ON CONFLICT (member_id, day) DO UPDATE SET ${column} = pending_days.${column} + EXCLUDED.${column}`;
  return {
    name: `${table}_move_pending_days`,
    arguments: "",
    returns: "trigger",
    language: "plpgsql",
    body: `
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
    END `,
  };
}

export const LOTS_MOVE_PENDING_DAYS = movePendingDays("lots", "lot_points", "remaining");
export const PURCHASES_MOVE_PENDING_DAYS = movePendingDays("purchases", "base_points", "base_points - reversed_base_points");
