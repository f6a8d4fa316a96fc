/** Time comes from a clock so that pending windows and the 12-month tier window can be tested without sleeping. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };
