/** Time arithmetic the rules share, in UTC. Pure: no clock, no database. */

export const DAY_MS = 86_400_000;

/** Same day of month, N months later (or earlier), in UTC, clamped to the month's last day as Postgres does. */
export function addMonths(date: Date, months: number): Date {
  const result = new Date(date.getTime());
  const day = result.getUTCDate();
  result.setUTCDate(1);
  result.setUTCMonth(result.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0)).getUTCDate();
  result.setUTCDate(Math.min(day, lastDay));
  return result;
}

/** The start (00:00 UTC) of the UTC day holding `date`. */
export const startOfUtcDay = (date: Date): Date => new Date(Math.floor(date.getTime() / DAY_MS) * DAY_MS);
