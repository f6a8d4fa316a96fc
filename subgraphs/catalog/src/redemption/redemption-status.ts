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
    PENDING: { description: "Accepted; the points are held and being taken. Retrying with the same idempotencyKey returns it." },
    COMPLETED: { description: "Points taken and voucher issued." },
    FAILED: { description: "Nothing was spent; `failureReason` says why." },
    CANCELLED: { description: "Cancelled before the voucher was used; the points and the stock were given back." },
  },
});
