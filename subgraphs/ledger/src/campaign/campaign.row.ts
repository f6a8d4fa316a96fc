import type { PartnerCategory, TierLevel } from "../../../../shared/src/enums";
import { partnerStub } from "../partner/partner.type";
import { campaignStatus } from "../rules";
import { Campaign, type CampaignStatus } from "./campaign.type";

/**
 * Every read of campaigns selects CAMPAIGN_COLUMNS from CAMPAIGNS_WITH_TOTALS: a `campaigns` row (`c`)
 * with its budget and totals, kept in `campaign_totals` (`t`, CampaignTotals1734290000000).
 */
export const CAMPAIGNS_WITH_TOTALS = `campaigns c JOIN campaign_totals t ON t.campaign_id = c.id`;
export const CAMPAIGN_COLUMNS = `c.*, t.budget_points, t.points_awarded, t.members_rewarded`;

/** A campaign row with its totals (CAMPAIGN_COLUMNS) as the driver returns it (bigints as strings). */
export interface CampaignRow {
  id: string;
  /** The creation key's input hash (CampaignCreationKeys1734840000000), null without a key. */
  fingerprint?: string | null;
  name: string;
  funded_by_partner_id: string | null;
  partner_ids: string[];
  categories: string[];
  starts_at: Date;
  ends_at: Date;
  ended_at: Date | null;
  created_at: Date;
  min_amount_minor: string;
  minimum_tier: string | null;
  first_purchase_at_partner: boolean;
  after_partner_id: string | null;
  after_within_days: number | null;
  bonus_percent: number | null;
  bonus_points: number | null;
  max_bonus_per_member: string | null;
  budget_points: string | null;
  points_awarded: string;
  members_rewarded: number;
}

const num = (value: string | null) => (value === null ? null : Number(value));

/** The GraphQL view of a campaign row, with its status as of `now`. */
export function toCampaign(row: CampaignRow, now: Date): Campaign {
  const budgetPoints = num(row.budget_points);
  const pointsAwarded = Number(row.points_awarded);
  return Object.assign(new Campaign(), {
    id: row.id,
    name: row.name,
    fundedBy: row.funded_by_partner_id ? partnerStub(row.funded_by_partner_id) : null,
    partners: row.partner_ids.map(partnerStub),
    categories: row.categories as PartnerCategory[],
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    endedAt: row.ended_at,
    minAmountMinor: Number(row.min_amount_minor),
    minimumTier: row.minimum_tier as TierLevel | null,
    firstPurchaseAtPartner: row.first_purchase_at_partner,
    afterPurchaseAtPartner: row.after_partner_id ? partnerStub(row.after_partner_id) : null,
    afterPurchaseWithinDays: row.after_within_days,
    bonusPercent: row.bonus_percent,
    bonusPoints: row.bonus_points,
    maxBonusPerMember: num(row.max_bonus_per_member),
    budgetPoints,
    status: campaignStatus({ startsAt: row.starts_at, endsAt: row.ends_at, endedAt: row.ended_at, budgetPoints, pointsAwarded }, now) as CampaignStatus,
    pointsAwarded,
    membersRewarded: row.members_rewarded,
    budgetRemaining: budgetPoints === null ? null : budgetPoints - pointsAwarded,
  });
}
