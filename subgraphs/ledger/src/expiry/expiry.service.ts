import type { DataSource } from "typeorm";
import { isDatabaseUnreachable } from "../../../../shared/src/errors";
import type { Logger } from "../../../../shared/src/logger";
import { expireLotsOf } from "../journal/expire-lots";
import { lockMember } from "../journal/journal";

/** Members read per batch of the run. */
const EXPIRY_BATCH_MEMBERS = 500;

export interface ExpiryRunOptions {
  /** When the expiries are posted (the period they are settled in): `now` unless given. */
  postedAt?: Date;
  /** Members read per batch (tests give fewer). */
  batchMembers?: number;
}

export interface ExpiryRun {
  lots: number;
  points: number;
  members: number;
  /** Members whose expiry failed (each logged once): their due points wait for the next run. */
  failed: number;
}

/**
 * Posts an EXPIRY transaction for every lot past its expiry that still holds points, one member at a
 * time under that member's lock (so it never races a redemption). Idempotent per lot: a second run,
 * or two runs at once, expire nothing twice. `postedAt`: when the expiries are posted (the period they
 * are settled in), for a run as of an earlier `now` (rules/clearing-periods.ts postingTime).
 *
 * A member whose transaction fails (a deadlock, a lock timeout, a constraint, a bug with that member's
 * data) is logged, counted in `failed` and left out of the rest of the run (each batch reads only members
 * that have not failed in this run), so everyone else still expires; the next run tries it again. A database that
 * cannot be reached or dropped the connection (isDatabaseUnreachable) ends the run with that error
 * instead: every member after it would fail too.
 */
export async function expireDueLots(dataSource: DataSource, now: Date, log: Logger, { postedAt = now, batchMembers = EXPIRY_BATCH_MEMBERS }: ExpiryRunOptions = {}): Promise<ExpiryRun> {
  const run: ExpiryRun = { lots: 0, points: 0, members: 0, failed: 0 };
  const failed: string[] = [];
  // Days that have passed are never read again (see the PendingDays migration); passed by both the
  // ledger's clock and the database's, since a test clock may be moved back.
  await dataSource.query(`DELETE FROM pending_days WHERE day < (least($1::timestamptz, now()) AT TIME ZONE 'UTC')::date - 1`, [now]);
  for (;;) {
    const due: { member_id: string }[] = await dataSource.query(
      `SELECT DISTINCT member_id FROM lots WHERE remaining > 0 AND expires_at <= $1 AND member_id <> ALL($3::uuid[]) LIMIT $2`,
      [now, batchMembers, failed],
    );
    if (!due.length) return run;
    for (const { member_id: memberId } of due) {
      try {
        const expired = await dataSource.transaction(async (manager) => {
          // Under the lock, spendable points (those past expiry as of the instant before they expired) repay a debt first (rules/debt.ts).
          await lockMember(manager, memberId, now);
          return expireLotsOf(manager, memberId, now, postedAt);
        });
        // Counted once committed: a transaction that fails at its commit expired nothing.
        run.lots += expired.lots;
        run.points += expired.points;
        if (expired.lots) run.members++;
      } catch (error) {
        if (isDatabaseUnreachable(error)) throw error;
        failed.push(memberId);
        run.failed++;
        log.warn("expiry failed for a member", { memberId, code: errorCode(error), error: (error as Error)?.message ?? String(error) });
      }
    }
  }
}

/** The SQLSTATE of a database error (TypeORM keeps the driver's error), or the error's name. */
function errorCode(error: unknown): string {
  const { code, driverError, name } = (error ?? {}) as { code?: unknown; driverError?: { code?: unknown }; name?: unknown };
  if (typeof driverError?.code === "string") return driverError.code;
  if (typeof code === "string") return code;
  return typeof name === "string" ? name : "unknown";
}
