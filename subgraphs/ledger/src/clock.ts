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
