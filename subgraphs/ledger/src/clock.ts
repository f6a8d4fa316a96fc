/**
 * Time comes from a clock so that return windows, expiry and the 12-month tier window can be tested
 * without sleeping. With LEDGER_TEST_CLOCK=1 (tests only) the clock can be moved forward over HTTP.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** The system clock shifted by an offset that tests set through `PUT /test/clock`. */
export class AdjustableClock implements Clock {
  offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
}

export const DAY_MS = 86_400_000;

/** Same day of month, N months later, in UTC (clamped to the month's last day, as Postgres does). */
export function addMonths(date: Date, months: number): Date {
  const result = new Date(date.getTime());
  const day = result.getUTCDate();
  result.setUTCDate(1);
  result.setUTCMonth(result.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0)).getUTCDate();
  result.setUTCDate(Math.min(day, lastDay));
  return result;
}
