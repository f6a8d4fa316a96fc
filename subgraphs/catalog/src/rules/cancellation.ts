/**
 * Cancelling a redemption: an unused voucher may be cancelled (points and stock given back) for
 * REDEMPTION_CANCEL_WINDOW_HOURS after it was redeemed, that instant included. Pure: the service
 * reads the setting and the clock; test/unit/catalog-cancellation.test.ts pins the boundary by hand.
 */
export const DEFAULT_CANCEL_WINDOW_HOURS = 24;

const HOUR_MS = 3_600_000;

/** Whether a redemption made at `redeemedAt` may still be cancelled at `now`, with a window of `windowHours`. */
export const withinCancelWindow = (redeemedAt: Date, now: Date, windowHours: number): boolean =>
  now.getTime() - redeemedAt.getTime() <= windowHours * HOUR_MS;
