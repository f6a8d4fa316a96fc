import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { PartnerCategory, TierLevel } from "../../../../shared/src/enums";
import { Partner } from "../partner/partner.type";
import { SafeInt } from "../scalars";

export enum CampaignStatus {
  SCHEDULED = "SCHEDULED",
  ACTIVE = "ACTIVE",
  EXHAUSTED = "EXHAUSTED",
  ENDED = "ENDED",
}
registerEnumType(CampaignStatus, {
  name: "CampaignStatus",
  description: "Where a campaign is in its life.",
  valuesConfig: {
    SCHEDULED: { description: "Created; its window has not started yet." },
    ACTIVE: { description: "Inside its window, with budget left: qualifying purchases earn its bonus." },
    EXHAUSTED: { description: "Its budget is spent: no more bonuses (a refund that gives points back can make it active again)." },
    ENDED: { description: "Ended early with endCampaign (no purchase recorded afterwards earns from it), or past endsAt (only a late purchase dated inside its window still does)." },
  },
});

@ObjectType({
  description:
    "A promotion funded by a partner (or by the coalition): purchases that qualify earn bonus points on top of their own, as BONUS entries charged " +
    "to the funder. See README, \"Campaigns and referrals\".",
})
export class Campaign {
  @Field(() => ID, { description: "The campaign's id (a UUID)." })
  id!: string;

  @Field(() => String, { description: "The campaign's name, as its creator gave it." })
  name!: string;

  @Field(() => Partner, { nullable: true, description: "Who pays for the bonus points (the clearing house charges it); null when the coalition funds them." })
  fundedBy!: Partner | null;

  @Field(() => [Partner], { description: "Purchases at these partners qualify (with `categories`: at these, or at a partner of one of those categories)." })
  partners!: Partner[];

  @Field(() => [PartnerCategory], { description: "Purchases at partners of these categories qualify." })
  categories!: PartnerCategory[];

  @Field(() => Date, { description: "Purchases made at or after this time qualify (UTC)." })
  startsAt!: Date;

  @Field(() => Date, { description: "Purchases made before this time qualify (exclusive, UTC)." })
  endsAt!: Date;

  @Field(() => Date, { nullable: true, description: "When endCampaign ended it early; null otherwise." })
  endedAt!: Date | null;

  @Field(() => SafeInt, { description: "The smallest purchase that qualifies, in minor units (0: any)." })
  minAmountMinor!: number;

  @Field(() => TierLevel, { nullable: true, description: "Only members at this tier or above (their tier before the purchase) qualify; null: any tier." })
  minimumTier!: TierLevel | null;

  @Field(() => Boolean, { description: "A welcome bonus: only a member's first purchase at that partner qualifies." })
  firstPurchaseAtPartner!: boolean;

  @Field(() => Partner, { nullable: true, description: "Cross-brand: only members who earned at this partner within `afterPurchaseWithinDays` before the purchase qualify." })
  afterPurchaseAtPartner!: Partner | null;

  @Field(() => Int, { nullable: true, description: "Cross-brand: how many days (of 24 hours) before the purchase the earlier one may be." })
  afterPurchaseWithinDays!: number | null;

  @Field(() => Int, { nullable: true, description: "The bonus as a percentage of the purchase's base points, rounded down; null when the bonus is fixed." })
  bonusPercent!: number | null;

  @Field(() => Int, { nullable: true, description: "A fixed bonus per qualifying purchase; null when the bonus is a percentage." })
  bonusPoints!: number | null;

  @Field(() => SafeInt, { nullable: true, description: "The most bonus points one member can get from this campaign; null: no limit." })
  maxBonusPerMember!: number | null;

  /** The funder's figures (budgetPoints, pointsAwarded, membersRewarded, budgetRemaining) are fields of CampaignFiguresResolver: the funder's and admins' only. */
  budgetPoints!: number | null;

  @Field(() => CampaignStatus, { description: "SCHEDULED, ACTIVE, EXHAUSTED or ENDED, now." })
  status!: CampaignStatus;

  pointsAwarded!: number;
  membersRewarded!: number;
  budgetRemaining!: number | null;
}
