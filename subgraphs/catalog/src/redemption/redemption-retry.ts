import { RedemptionStatus } from "./redemption-status";

/**
 * Failure reasons that say nothing about the redemption itself: a service or database was away
 * (UPSTREAM_UNAVAILABLE, OVERLOADED), the saga was cut short by a crash and settled by the recovery
 * sweep (INTERRUPTED), or an unexpected failure (INTERNAL_SERVER_ERROR). Everything was given back,
 * so a retry with the same key tries again instead of answering this reason forever. Any other
 * reason (INSUFFICIENT_POINTS, OUT_OF_STOCK, HOLD_RELEASED...) is the redemption's answer for good.
 */
export const TRANSIENT_FAILURE_REASONS: ReadonlySet<string> = new Set(["UPSTREAM_UNAVAILABLE", "OVERLOADED", "INTERRUPTED", "INTERNAL_SERVER_ERROR"]);

/** What a retry with the same key (and the same reward) does with the redemption the key names. */
export type RetryAction = "replay" | "settle-then-decide" | "redeem-again";

/**
 * - FAILED for a transient reason: redeem again (a new redemption takes the key over);
 * - PENDING for longer than the recovery delay (its saga crashed or lost its answer): settle it now,
 *   as the sweep would, then decide again on the settled state;
 * - anything else (COMPLETED, CANCELLED, FAILED for a business reason, PENDING still in progress):
 *   answer what the key already has.
 */
export function retryAction(redemption: { status: string; failureReason: string | null; updatedAt: Date }, now: Date, recoveryAfterSeconds: number): RetryAction {
  if (redemption.status === RedemptionStatus.FAILED && TRANSIENT_FAILURE_REASONS.has(redemption.failureReason ?? "INTERNAL_SERVER_ERROR")) return "redeem-again";
  if (redemption.status === RedemptionStatus.PENDING && now.getTime() - redemption.updatedAt.getTime() >= recoveryAfterSeconds * 1000) return "settle-then-decide";
  return "replay";
}
