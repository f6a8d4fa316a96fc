import type { DataSource } from "typeorm";
import { isDatabaseUnreachable } from "../../../../shared/src/errors";
import type { Logger } from "../../../../shared/src/logger";
import { expireLotsOf } from "../journal/expire-lots";
import { lockMember } from "../journal/journal";

/** Members read per batch of the run. */
const EXPIRY_BATCH_MEMBERS = 500;
/** Failed members named in a run (a line each, and in `failedMembers`); the rest are only counted. */
export const EXPIRY_FAILURES_NAMED = 20;

export interface ExpiryRunOptions {
  /** When the expiries are posted (the period they are settled in): `now` unless given. */
  postedAt?: Date;
  /** Members read per batch (tests give fewer). */
  batchMembers?: number;
  /** Failed members named (tests give fewer): EXPIRY_FAILURES_NAMED. */
  namedFailures?: number;
}

export interface ExpiryRun {
  lots: number;
  points: number;
  members: number;
  /** Members whose expiry failed: their due points wait for the next run. */
  failed: number;
  /** The first of them (at most EXPIRY_FAILURES_NAMED), each logged in a line of its own. */
  failedMembers: string[];
}

/**
 * Posts an EXPIRY transaction for every lot past its expiry that still holds points, one member at a
 * time under that member's lock (so it never races a redemption). Idempotent per lot: a second run,
 * or two runs at once, expire nothing twice. `postedAt`: when the expiries are posted (the period they
 * are settled in), for a run as of an earlier `now` (rules/clearing-periods.ts postingTime).
 *
 * A member whose transaction fails (a deadlock, a lock timeout, a constraint, a bug with that member's
 * data) is counted in `failed` and left out of the rest of the run (batches read members in id order,
 * each after the last one read), so everyone else still expires; the next run tries it again. The
first EXPIRY_FAILURES_NAMED failed members get a warning line each and are named in `failedMembers`;
any more (a database broken for everyone would fail them all) are counted only, in one line at the
end of the run with their error codes, so a run's log stays a few lines long. A database that
 * cannot be reached or dropped the connection (isDatabaseUnreachable) ends the run with that error
 * instead: every member after it would fail too.
 */
export async function expireDueLots(
  dataSource: DataSource,
  now: Date,
  log: Logger,
  { postedAt = now, batchMembers = EXPIRY_BATCH_MEMBERS, namedFailures = EXPIRY_FAILURES_NAMED }: ExpiryRunOptions = {},
): Promise<ExpiryRun> {
  const run: ExpiryRun = { lots: 0, points: 0, members: 0, failed: 0, failedMembers: [] };
  // Members are read in id order, each batch after the last one read: a member that failed is not read
  // again in this run, and the run keeps no list of them (a database failing everyone fails millions).
  let after = "00000000-0000-0000-0000-000000000000";
  // The codes of the failures not logged one by one, counted.
  const unloggedCodes: Record<string, number> = Object.create(null);
  const finish = (): ExpiryRun => {
    const notLogged = run.failed - run.failedMembers.length;
    if (notLogged > 0) log.warn("expiry failed for more members, not logged one by one", { failed: run.failed, notLogged, codes: unloggedCodes });
    return run;
  };
  // Days that have passed are never read again (see the PendingDays migration); passed by both the
  // ledger's clock and the database's, since a test clock may be moved back.
  await dataSource.query(`DELETE FROM pending_days WHERE day < (least($1::timestamptz, now()) AT TIME ZONE 'UTC')::date - 1`, [now]);
  for (;;) {
    const due: { member_id: string }[] = await dataSource.query(
      `SELECT DISTINCT member_id FROM lots WHERE remaining > 0 AND expires_at <= $1 AND member_id > $3 ORDER BY member_id LIMIT $2`,
      [now, batchMembers, after],
    );
    if (!due.length) return finish();
    after = due[due.length - 1].member_id;
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
        run.failed++;
        const code = errorCode(error);
        if (run.failedMembers.length < namedFailures) {
          run.failedMembers.push(memberId);
          log.warn("expiry failed for a member", { memberId, code, error: (error as Error)?.message ?? String(error) });
        } else {
          unloggedCodes[code] = (unloggedCodes[code] ?? 0) + 1;
        }
      }
    }
  }
}

/** A run in one sentence (ledger:expire's output): what expired and, if any failed, how many and where they are logged. */
export function describeExpiryRun(run: ExpiryRun, now: Date): string {
  // At most EXPIRY_FAILURES_NAMED of them have a line of their own; the others one line with their count.
  const logged = run.failedMembers.length < run.failed ? `the first ${run.failedMembers.length} logged above, the other ${run.failed - run.failedMembers.length} counted there` : "logged above";
  const failed = run.failed ? `; ${run.failed} ${run.failed === 1 ? "member" : "members"} failed (${logged}), left for the next run` : "";
  return `Expired ${run.points} points in ${run.lots} lots of ${run.members} members (as of ${now.toISOString()})${failed}.`;
}

/** The SQLSTATE of a database error (TypeORM keeps the driver's error), or the error's name. */
function errorCode(error: unknown): string {
  const { code, driverError, name } = (error ?? {}) as { code?: unknown; driverError?: { code?: unknown }; name?: unknown };
  if (typeof driverError?.code === "string") return driverError.code;
  if (typeof code === "string") return code;
  return typeof name === "string" ? name : "unknown";
}
