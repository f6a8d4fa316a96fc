import type { DataSource } from "typeorm";
import { expireLotsOf } from "../journal/expire-lots";
import { lockMember } from "../journal/journal";

/** Members read per batch of the run. */
const EXPIRY_BATCH_MEMBERS = 500;

export interface ExpiryRun {
  lots: number;
  points: number;
  members: number;
}

/**
 * Posts an EXPIRY transaction for every lot past its expiry that still holds points, one member at a
 * time under that member's lock (so it never races a redemption). Idempotent per lot: a second run,
 * or two runs at once, expire nothing twice. `postedAt`: when the expiries are posted (the period they
 * are settled in), for a run as of an earlier `now` (rules/clearing-periods.ts postingTime).
 */
export async function expireDueLots(dataSource: DataSource, now: Date, postedAt = now): Promise<ExpiryRun> {
  const run: ExpiryRun = { lots: 0, points: 0, members: 0 };
  // Days that have passed are never read again (see the PendingDays migration); passed by both the
  // ledger's clock and the database's, since a test clock may be moved back.
  await dataSource.query(`DELETE FROM pending_days WHERE day < (least($1::timestamptz, now()) AT TIME ZONE 'UTC')::date - 1`, [now]);
  for (;;) {
    const due: { member_id: string }[] = await dataSource.query(
      `SELECT DISTINCT member_id FROM lots WHERE remaining > 0 AND expires_at <= $1 LIMIT $2`,
      [now, EXPIRY_BATCH_MEMBERS],
    );
    if (!due.length) return run;
    for (const { member_id: memberId } of due) {
      await dataSource.transaction(async (manager) => {
        // Under the lock, spendable points (those past expiry as of the instant before they expired) repay a debt first (rules/debt.ts).
        await lockMember(manager, memberId, now);
        const expired = await expireLotsOf(manager, memberId, now, postedAt);
        run.lots += expired.lots;
        run.points += expired.points;
        if (expired.lots) run.members++;
      });
    }
  }
}
