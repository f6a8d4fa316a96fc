import { Field, Float, Int, ObjectType } from "type-graphql";
import { TierLevel } from "../../../../shared/src/enums";
import { Partner } from "../partner/partner.type";

@ObjectType({ description: "A member's points at one partner." })
export class PartnerPoints {
  @Field(() => Partner)
  partner!: Partner;

  @Field(() => Int, { description: "Points earned at this partner, ever." })
  earned!: number;

  @Field(() => Int, { description: "Points spent on this partner's rewards, ever." })
  redeemed!: number;
}

@ObjectType({ description: "Points of one lot that will expire unless spent first (spending always uses the oldest points first)." })
export class ExpiringPoints {
  @Field(() => Int)
  points!: number;

  @Field(() => Date)
  expiresAt!: Date;
}

@ObjectType({ description: "A member's points across every partner of the coalition." })
export class PointsBalance {
  /** Not a field: lets byPartner find the member. */
  memberId!: string;

  @Field(() => Int, { description: "Points the member can spend now. Negative when refunds clawed back points already spent: redemptions wait until it is positive again." })
  available!: number;

  @Field(() => Int, { description: "Points earned but still inside a partner's return window: not spendable yet, not counted toward tier." })
  pending!: number;

  @Field(() => Int, { description: "Points reserved by redemptions in progress: not available; spent when the redemption completes, back when it fails." })
  held!: number;

  @Field(() => Int, { description: "All points ever earned." })
  lifetimeEarned!: number;

  @Field(() => Int, { description: "All points ever spent on rewards." })
  lifetimeRedeemed!: number;
}

@ObjectType({ description: "Where the member stands toward the next tier." })
export class TierProgress {
  @Field(() => TierLevel)
  current!: TierLevel;

  @Field(() => TierLevel, { nullable: true, description: "The next tier; null at PLATINUM." })
  next!: TierLevel | null;

  @Field(() => Int, { description: "Points earned in the trailing 12 months, excluding pending points." })
  qualifyingPoints!: number;

  @Field(() => Int, { nullable: true, description: "Qualifying points needed for the next tier; null at the top." })
  nextThreshold!: number | null;

  @Field(() => Int, { description: "Qualifying points still missing for the next tier; 0 at the top." })
  pointsToNext!: number;

  @Field(() => Float, { description: "0 to 1: how far from the current tier's threshold to the next one; 1 at the top." })
  progress!: number;
}
