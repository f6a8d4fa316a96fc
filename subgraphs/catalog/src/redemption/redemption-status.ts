import { registerEnumType } from "type-graphql";

/** Only the catalog knows redemptions, so this enum is registered here rather than in shared. */
export enum RedemptionStatus {
  PENDING = "PENDING",
  COMPLETED = "COMPLETED",
  FAILED = "FAILED",
  CANCELLED = "CANCELLED",
}
registerEnumType(RedemptionStatus, {
  name: "RedemptionStatus",
  description: "Where a redemption stands.",
  valuesConfig: {
    PENDING: {
      description:
        "Accepted; the points are held and being taken. Retrying with the same idempotencyKey returns it; once it has been pending longer than the recovery delay, the retry settles it first (completed, or failed and redeemed again).",
    },
    COMPLETED: { description: "Points taken and voucher issued." },
    FAILED: {
      description:
        "Nothing was spent; `failureReason` says why. A failure for a transient reason (`UPSTREAM_UNAVAILABLE`, `OVERLOADED`, `INTERRUPTED`, `INTERNAL_SERVER_ERROR`) is retried by `redeemReward` with the same idempotencyKey: a new redemption takes the key over and this one stays as history.",
    },
    CANCELLED: { description: "Cancelled before the voucher was used; the points and the stock were given back." },
  },
});
