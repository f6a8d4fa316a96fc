import DataLoader from "dataloader";
import type { EntityManager } from "typeorm";
import { type TierLevel, TIER_ORDER } from "../../../../shared/src/enums";
import type { Clock } from "../clock";
import { CAMPAIGN_ORDER_SQL, campaignActiveSql, earnedAtOtherPartnerSql, withinAfterWindowSql } from "../rules";
import { firstPurchaseAtPartnerSql } from "../sql/campaign-bonuses";
import { isPrepaidAtSql } from "../sql/clearing";
import type { Campaign } from "./campaign.type";
import { CAMPAIGNS_WITH_TOTALS, CAMPAIGN_COLUMNS, type CampaignRow, toCampaign } from "./campaign.row";

export interface OffersKey {
  memberId: string;
  tier: TierLevel;
  /** How many, already validated (a connection asks one more, to know whether another page follows). */
  limit: number;
  /** The campaign id of the decoded `after` cursor; null from the first. */
  after: string | null;
}

/**
 * Campaigns active now that each member could benefit from: within their per-member cap, at their
 * tier, cross-brand ones only while they earned at the other partner inside the window (as of now),
 * welcome ones only while some covered partner has not seen them yet: a partner it lists, or one of
 * a category it lists that the ledger knows (campaign/partner-categories.ts; with none known, and for
 * a coalition campaign that covers every partner, it is shown), and not while a PREPAID funder has
 * no allowance left (its bonuses would be 0: fundedFromAllowance). In the order bonuses apply
 * (CAMPAIGN_ORDER_SQL), at most `lim`, after the campaign `after_id` names (from its own row).
 * Every key (a member's page) in one statement: a row per key from unnest, its page beside it.
 */
const OFFERS_SQL = `
  SELECT k.k, o.*
  FROM unnest($1::uuid[], $2::int[], $3::uuid[], $4::int[]) WITH ORDINALITY AS k(member_id, tier_rank, after_id, lim, k)
  CROSS JOIN LATERAL (
    SELECT ${CAMPAIGN_COLUMNS} FROM ${CAMPAIGNS_WITH_TOTALS}
    WHERE ${campaignActiveSql({ startsAt: "c.starts_at", endsAt: "c.ends_at", endedAt: "c.ended_at", budgetPoints: "t.budget_points", pointsAwarded: "t.points_awarded" }, "$5")}
      AND (c.max_bonus_per_member IS NULL OR c.max_bonus_per_member >
           coalesce((SELECT cm.points FROM campaign_member_points cm WHERE cm.campaign_id = c.id AND cm.member_id = k.member_id), 0))
      AND (c.minimum_tier IS NULL OR array_position($6::text[], c.minimum_tier) <= k.tier_rank)
      AND (c.after_partner_id IS NULL OR EXISTS (SELECT FROM purchases o WHERE o.member_id = k.member_id AND o.partner_id = c.after_partner_id
                                                 AND ${withinAfterWindowSql("o.earned_at", "$5::timestamptz", "c.after_within_days")}
                                                 AND ${earnedAtOtherPartnerSql("o.points")}))
      AND (NOT c.first_purchase_at_partner
           OR coalesce((SELECT bool_or(${firstPurchaseAtPartnerSql("k.member_id", "p.id", "NULL::uuid", "0")})
                        FROM (SELECT unnest(c.partner_ids) UNION SELECT pc.partner_id FROM campaign_partner_categories pc WHERE pc.category = ANY (c.categories)) p(id)), true))
      AND (c.funded_by_partner_id IS NULL OR NOT coalesce(${isPrepaidAtSql("c.funded_by_partner_id", "$5")}, false)
           OR coalesce((SELECT pa.remaining FROM prepaid_allowances pa WHERE pa.partner_id = c.funded_by_partner_id), 0) > 0)
      AND (k.after_id IS NULL OR (${CAMPAIGN_ORDER_SQL("c")}) > (SELECT ${CAMPAIGN_ORDER_SQL("a")} FROM campaigns a WHERE a.id = k.after_id))
    ORDER BY ${CAMPAIGN_ORDER_SQL("c")}
    LIMIT k.lim
  ) o
  ORDER BY k.k, ${CAMPAIGN_ORDER_SQL("o")}`;

/** Each member's offers (`Member.offers`, `Member.offersConnection`): one statement for every member of the request. */
export function createOffersLoader(manager: EntityManager, clock: Clock) {
  return new DataLoader<OffersKey, Campaign[], string>(
    async (keys) => {
      const now = clock.now();
      const rows: (CampaignRow & { k: string })[] = await manager.query(OFFERS_SQL, [
        keys.map((key) => key.memberId),
        keys.map((key) => TIER_ORDER.indexOf(key.tier) + 1),
        keys.map((key) => key.after),
        keys.map((key) => key.limit),
        now,
        TIER_ORDER,
      ]);
      const pages: Campaign[][] = keys.map(() => []);
      for (const row of rows) pages[Number(row.k) - 1].push(toCampaign(row, now));
      return pages;
    },
    { cacheKeyFn: (key) => `${key.memberId}:${key.tier}:${key.limit}:${key.after ?? ""}` },
  );
}
