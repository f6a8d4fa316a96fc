import { Directive, Field, ID, Int, ObjectType } from "type-graphql";
import { RedemptionStatus } from "./redemption-status";
import type { RedemptionRecord } from "./redemption.entity";

@Directive(`@key(fields: "id")`)
@ObjectType({ description: "A member spending points on a reward, and the voucher they got for it." })
export class Redemption {
  @Field(() => ID, { description: "The redemption's unique id (a UUID); also the `reference` of its ledger entries." })
  id!: string;

  /** Resolved as a Member stub and through the reward loader by `RedemptionResolver`. */
  memberId!: string;
  rewardId!: string;

  @Field(() => Int, { description: "Points the redemption costs: the reward's cost when it was redeemed (taken from the balance once COMPLETED, given back if CANCELLED)." })
  pointsSpent!: number;

  @Field(() => RedemptionStatus, { description: "Where it stands; only COMPLETED ones have a voucher." })
  status!: RedemptionStatus;

  // Resolved in redemption.resolver.ts, where who may see it is decided.
  voucherCode!: string | null;

  @Field(() => Date, { description: "When the redemption was requested (UTC); the cancellation window counts from here." })
  createdAt!: Date;

  @Field(() => Date, { description: "When it last changed (UTC)." })
  updatedAt!: Date;

  @Field(() => String, {
    nullable: true,
    description: "For FAILED redemptions, the error code it failed with, e.g. `INSUFFICIENT_POINTS`, or `INTERRUPTED` when a crash stopped it and recovery gave everything back.",
  })
  failureReason!: string | null;

  @Field(() => Date, { nullable: true, description: "When the partner marked the voucher used; null while unused. A used voucher can no longer be cancelled." })
  voucherUsedAt!: Date | null;

  static from(record: RedemptionRecord): Redemption {
    // A PENDING redemption's stored reason is the saga's note of why it could not finish yet (the reason
    // the sweep fails it with, if it fails): not an answer, and a redemption that then COMPLETED has none.
    return Object.assign(new Redemption(), record, { failureReason: record.status === RedemptionStatus.FAILED ? record.failureReason : null });
  }
}
