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
  /** Not fields: which member, and whether the caller is a partner app (which sees `available` only). */
  memberId!: string;
  restricted!: boolean;

  @Field(() => Int, { description: "Points the member can spend now. Negative when refunds clawed back points already spent: redemptions wait until it is positive again." })
  available!: number;

  pending!: number;

  held!: number;

  lifetimeEarned!: number;

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
