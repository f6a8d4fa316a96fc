import { Field, ID, InputType, Int } from "type-graphql";
import { PartnerCategory, TierLevel } from "../../../../shared/src/enums";
import { SafeInt } from "../scalars";
import { MAX_AFTER_PURCHASE_DAYS, MAX_BONUS_PERCENT, MAX_BONUS_POINTS, MAX_CAMPAIGN_DAYS, MAX_CAMPAIGN_NAME } from "../rules";
import { n } from "../rule-docs";

@InputType({ description: "A new campaign: who funds it, which purchases qualify, the bonus, and its limits. Give exactly one of bonusPercent and bonusPoints." })
export class CreateCampaignInput {
  @Field(() => String, { description: `A name for people (1 to ${MAX_CAMPAIGN_NAME} characters).` })
  name!: string;

  @Field(() => String, {
    nullable: true,
    description:
      "Your key for this creation (1 to 200 characters), recommended: a retry with the same key and input (after UPSTREAM_UNAVAILABLE, say) answers the campaign " +
      "it created instead of creating a second one; the same key with other input is IDEMPOTENCY_CONFLICT. Keys are per caller.",
  })
  idempotencyKey?: string | null;

  @Field(() => ID, { nullable: true, description: "The partner that pays for the bonus points; null: the coalition (admins only). A partner app may only fund itself." })
  fundedByPartnerId?: string | null;

  @Field(() => [ID], { nullable: true, description: "Purchases at these partners qualify. Default: the funder (a coalition campaign without partners or categories covers every partner). A partner app may list only itself." })
  partnerIds?: string[] | null;

  @Field(() => [PartnerCategory], { nullable: true, description: "Purchases at partners of these categories qualify (admins only: they reach other brands)." })
  categories?: PartnerCategory[] | null;

  @Field(() => Date, { description: "Purchases made at or after this time qualify." })
  startsAt!: Date;

  @Field(() => Date, { description: `Purchases made before this time qualify; after startsAt, at most ${MAX_CAMPAIGN_DAYS} days later.` })
  endsAt!: Date;

  @Field(() => SafeInt, { nullable: true, description: "The smallest qualifying purchase in minor units (default 0)." })
  minAmountMinor?: number | null;

  @Field(() => TierLevel, { nullable: true, description: "Only members at this tier or above qualify." })
  minimumTier?: TierLevel | null;

  @Field(() => Boolean, { nullable: true, description: "A welcome bonus: only a member's first purchase at the partner qualifies (default false)." })
  firstPurchaseAtPartner?: boolean | null;

  @Field(() => ID, { nullable: true, description: "Cross-brand: only members who earned at this partner in the days before qualify; give afterPurchaseWithinDays too. A partner app may name only itself (a repeat visit); admins name another partner once it agrees." })
  afterPurchaseAtPartnerId?: string | null;

  @Field(() => Int, { nullable: true, description: `Cross-brand: the window in days (1 to ${MAX_AFTER_PURCHASE_DAYS}) before the purchase.` })
  afterPurchaseWithinDays?: number | null;

  @Field(() => Int, { nullable: true, description: `The bonus as a percentage (1 to ${n(MAX_BONUS_PERCENT)}) of the purchase's base points, rounded down.` })
  bonusPercent?: number | null;

  @Field(() => Int, { nullable: true, description: `A fixed bonus (1 to ${n(MAX_BONUS_POINTS)} points) per qualifying purchase.` })
  bonusPoints?: number | null;

  @Field(() => SafeInt, { nullable: true, description: "The most bonus points one member can get from this campaign (at least 1)." })
  maxBonusPerMember?: number | null;

  @Field(() => SafeInt, { nullable: true, description: "The total bonus points this campaign may award (at least 1); when spent it stops." })
  budgetPoints?: number | null;
}
