import type { MigrationInterface, QueryRunner } from "typeorm";
import { APPLY_CAMPAIGN_BONUSES_BEFORE_AWARD_GUARDS, APPLY_CAMPAIGN_BONUSES_BEFORE_DEBTS_IN_TIME_ORDER, installFunction } from "../sql";

/**
 * Three holes in `apply_campaign_bonuses` an outside review found (sql/campaign-bonuses.ts):
 * - a late purchase's `minimumTier` is judged on the member's tier when it was made (as its tier
 *   bonus is), not over a window from 12 months before it to now (up to two years of points, so a
 *   partner app backdating a purchase could pay a GOLD-only bonus to a member who was never GOLD);
 * - a member's debt makes no room under the points cap (rules/campaigns.ts `bonusesFitUnderCap`): a
 *   bonus larger than a points column stores no longer passes the check and fails the whole group;
 * - a referrer's bonus lot takes its own dates (pending and expiring as long after it is posted as
 *   the friend's purchase after it was made), so the referrer's export no longer tells when the friend bought.
 * Bonuses already written are not changed.
 *
 * down() reverts exactly this: the definition IssuePriceInPlace1734700000000 installed.
 */
export class CampaignAwardGuards1734800000000 implements MigrationInterface {
  name = "CampaignAwardGuards1734800000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await installFunction(queryRunner, APPLY_CAMPAIGN_BONUSES_BEFORE_DEBTS_IN_TIME_ORDER);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await installFunction(queryRunner, APPLY_CAMPAIGN_BONUSES_BEFORE_AWARD_GUARDS);
  }
}
