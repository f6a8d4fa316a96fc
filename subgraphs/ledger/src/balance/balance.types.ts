import { Field, Float, Int, ObjectType } from "type-graphql";
import { TierLevel } from "../../../../shared/src/enums";
import { docs } from "../../../../shared/src/schema-docs";
import { Partner } from "../partner/partner.type";
import { EXPIRY_TEXT, QUALIFYING_WINDOW_TEXT, TIER_THRESHOLDS_TEXT } from "../rule-docs";

@ObjectType({ description: "A member's points at one partner brand, ever (totals, not a balance)." })
export class PartnerPoints {
  @Field(() => Partner, { description: "The partner brand." })
  partner!: Partner;

  @Field(() => Int, { description: "Points earned at this partner, ever, tier bonuses included, less refunds." })
  earned!: number;

  @Field(() => Int, { description: "Points spent on this partner's rewards, ever, less cancelled redemptions." })
  redeemed!: number;
}

@ObjectType({ description: "Points earned together (one purchase, or one transfer received) that will expire unless spent first; spending always takes the points nearest expiry first." })
export class ExpiringPoints {
  @Field(() => Int, { description: "Points still unspent that expire at `expiresAt`." })
  points!: number;

  @Field(() => Date, { description: `When they expire (UTC): ${EXPIRY_TEXT}.` })
  expiresAt!: Date;
}

@ObjectType({ description: docs.pointsBalance })
export class PointsBalance {
  /** Not fields: which member, and whether the caller is a partner app (which sees `available` only). */
  memberId!: string;
  restricted!: boolean;

  @Field(() => Int, { description: docs.pointsAvailable })
  available!: number;

  pending!: number;

  held!: number;

  lifetimeEarned!: number;

  lifetimeRedeemed!: number;
}

@ObjectType({ description: `Where the member stands toward the next tier. Thresholds: ${TIER_THRESHOLDS_TEXT} qualifying points.` })
export class TierProgress {
  @Field(() => TierLevel, { description: "The member's tier now (the same as `Member.tier`)." })
  current!: TierLevel;

  @Field(() => TierLevel, { nullable: true, description: "The next tier; null at PLATINUM." })
  next!: TierLevel | null;

  @Field(() => Int, { description: `Base points of purchases made in ${QUALIFYING_WINDOW_TEXT} and past their return window, less refunds: tier bonuses, pending points and points received by transfer do not count.` })
  qualifyingPoints!: number;

  @Field(() => Int, { nullable: true, description: "Qualifying points needed for the next tier; null at the top." })
  nextThreshold!: number | null;

  @Field(() => Int, { description: "Qualifying points still missing for the next tier; 0 at the top." })
  pointsToNext!: number;

  @Field(() => Float, { description: "0 to 1: how far from the current tier's threshold to the next one; 1 at the top." })
  progress!: number;
}
