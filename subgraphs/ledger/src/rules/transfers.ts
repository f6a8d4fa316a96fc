/** Transfers between members: at most this many points in one transfer, and TRANSFER_DAILY_LIMIT a sender a UTC day. */
export const MAX_TRANSFER_POINTS = 100_000_000;
export const DEFAULT_TRANSFER_DAILY_LIMIT = 10_000;

/** Points a sender may still send today, having sent `sentToday` (never negative). */
export const transferAllowanceLeft = (dailyLimit: number, sentToday: number): number => Math.max(0, dailyLimit - sentToday);

/** Whether a transfer of `points` fits in what is left of today's limit. */
export const transferFits = (points: number, dailyLimit: number, sentToday: number): boolean => points <= dailyLimit - sentToday;
