/**
 * Qualifying points in SQL, the rule of ../rules/windows.ts (`qualifiesAt`): base points, less refunded
 * ones, of purchases earned after the window's start (exclusive, to the second) and at or before the
 * time asked, and no longer inside their return window. The window's start is never computed here:
 * callers pass `qualifyingWindowStart(...)` from the rules as a parameter.
 *
 * Fast: whole UTC days inside the window come from the daily buckets (`qualifying_points`, index-only),
 * and only the purchases of the boundary day (the day the window starts in) are read row by row.
 */
import { pendingBasePointsSql } from "./pending";

const day = (x: string) => `(${x} AT TIME ZONE 'UTC')::date`;
const startOfDay = (x: string) => `(${day(x)})::timestamp AT TIME ZONE 'UTC'`;
const endOfDay = (x: string) => `(${day(x)} + 1)::timestamp AT TIME ZONE 'UTC'`;
const purchaseBase = (member: string, where: string) =>
  `coalesce((SELECT sum(pu.base_points - pu.reversed_base_points) FROM purchases pu WHERE pu.member_id = ${member} AND ${where}), 0)`;

/** Qualifying points of `member` now (`now`), the window starting at `from`. */
export const qualifyingNowSql = (member: string, now: string, from: string) => `(
  coalesce((SELECT sum(q.points) FROM qualifying_points q WHERE q.member_id = ${member} AND q.day > ${day(from)}), 0)
  + ${purchaseBase(member, `pu.earned_at > ${from} AND pu.earned_at < ${endOfDay(from)}`)}
  - ${pendingBasePointsSql(member, now)})`;

/**
 * Qualifying points of `member` at a past time `at` (a purchase recorded late takes the tier of the
 * time it was made), the window starting at `from`: the buckets of the whole days between, the
 * purchases of the boundary day and of `at`'s own day up to `at`, less what was still pending at `at`.
 */
export const qualifyingAtSql = (member: string, at: string, from: string) => `(
  coalesce((SELECT sum(q.points) FROM qualifying_points q WHERE q.member_id = ${member} AND q.day > ${day(from)} AND q.day < ${day(at)}), 0)
  + ${purchaseBase(member, `pu.earned_at > ${from} AND pu.earned_at < ${endOfDay(from)} AND pu.available_at <= ${at}`)}
  + ${purchaseBase(member, `pu.earned_at >= ${startOfDay(at)} AND pu.earned_at <= ${at} AND pu.available_at <= ${at}`)}
  - ${purchaseBase(member, `pu.available_at > ${at} AND pu.earned_at >= ${endOfDay(from)} AND pu.earned_at < ${startOfDay(at)}`)})`;

/** Qualifying points of many members now: $1 member ids, $2 now, $3 the window's start (rules: qualifyingWindowStart($2)). */
export const QUALIFYING_SQL = `
  SELECT m.member_id, ${qualifyingNowSql("m.member_id", "$2::timestamptz", "$3::timestamptz")} AS qualifying
  FROM unnest($1::uuid[]) AS m(member_id)`;
