import { Directive, Field, ID, Int, ObjectType } from "type-graphql";
import { RedemptionStatus } from "./redemption-status";
import type { RedemptionRecord } from "./redemption.entity";

@Directive(`@key(fields: "id")`)
@ObjectType({ description: "A member spending points on a reward, and the voucher they got for it." })
export class Redemption {
  @Field(() => ID, { description: "Unique id of the redemption; also the ledger entry's reference." })
  id!: string;

  /** Resolved as a Member stub and through the reward loader by `RedemptionResolver`. */
  memberId!: string;
  rewardId!: string;

  @Field(() => Int, { description: "Points the redemption costs (debited once COMPLETED)." })
  pointsSpent!: number;

  @Field(() => RedemptionStatus, { description: "Where it stands; only COMPLETED ones have a voucher." })
  status!: RedemptionStatus;

  // Resolved in redemption.resolver.ts, where who may see it is decided.
  voucherCode!: string | null;

  @Field(() => Date, { description: "When the redemption was requested." })
  createdAt!: Date;

  @Field(() => Date, { description: "When its status last changed." })
  updatedAt!: Date;

  @Field(() => String, {
    nullable: true,
    description: "For FAILED redemptions, the error code it failed with, e.g. `INSUFFICIENT_POINTS`, or `INTERRUPTED` when a crash stopped it and recovery gave everything back.",
  })
  failureReason!: string | null;

  @Field(() => Date, { nullable: true, description: "When the partner marked the voucher used; a used voucher can no longer be cancelled." })
  voucherUsedAt!: Date | null;

  static from(record: RedemptionRecord): Redemption {
    return Object.assign(new Redemption(), record);
  }
}
