import type { MigrationInterface, QueryRunner } from "typeorm";
import { APPLY_CAMPAIGN_BONUSES_BEFORE_PREPAID_FUNDERS, APPLY_CAMPAIGN_BONUSES_BEFORE_REFERRAL_GUARDS, installFunction } from "../sql";

/**
 * `apply_campaign_bonuses` (sql/campaign-bonuses.ts, AWARDS_BEFORE_REFERRAL_GUARDS):
 * - a PREPAID funder's bonuses are cut to what is left of its allowance (`fundedFromAllowance` in
 *   rules/campaigns.ts), like a budget: a purchase at another partner, or the funder's own within
 *   its allowance, keeps its own points instead of failing whole with LIMIT_EXCEEDED;
 * - a referrer's bonus is dated when it is posted and names neither the friend's partner nor receipt;
 * - the cross-brand window is N × 24 hours whatever the session's time zone (rules/campaigns.ts,
 *   `withinAfterWindowSql`: `make_interval(days => N)` moved by calendar days in a zone with DST).
 * Existing rows are not changed: referrers' entries written before keep what they were written with.
 *
 * down() reverts the first two: the definition CampaignBonusesPlannedByKey1734300000000 installed. The
 * window stays in hours (the earlier definitions are built from today's rules).
 */
export class CampaignFundersAndReferrers1734310000000 implements MigrationInterface {
  name = "CampaignFundersAndReferrers1734310000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await installFunction(queryRunner, APPLY_CAMPAIGN_BONUSES_BEFORE_REFERRAL_GUARDS); // ReferralGuards1734320000000 replaces it
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await installFunction(queryRunner, APPLY_CAMPAIGN_BONUSES_BEFORE_PREPAID_FUNDERS);
  }
}
