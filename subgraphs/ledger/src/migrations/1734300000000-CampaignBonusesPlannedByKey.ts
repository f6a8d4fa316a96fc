import type { MigrationInterface, QueryRunner } from "typeorm";
import { APPLY_CAMPAIGN_BONUSES_ANY_SCAN, APPLY_CAMPAIGN_BONUSES_BEFORE_PREPAID_FUNDERS, installFunction } from "../sql";

/**
 * `apply_campaign_bonuses` runs with sequential scans off (PLANNED_BY_KEY in sql/campaign-bonuses.ts):
 * the same statement, planned by key whatever the statistics said when a connection cached its plan.
 * A plan cached while the campaign tables were empty scanned `campaign_member_points` whole for every
 * bonus, slower by the second as the table filled.
 *
 * down() reverts exactly this: the definition CampaignTotals1734290000000 installed, without the setting.
 */
export class CampaignBonusesPlannedByKey1734300000000 implements MigrationInterface {
  name = "CampaignBonusesPlannedByKey1734300000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await installFunction(queryRunner, APPLY_CAMPAIGN_BONUSES_BEFORE_PREPAID_FUNDERS); // CampaignFundersAndReferrers1734310000000 replaces it
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await installFunction(queryRunner, APPLY_CAMPAIGN_BONUSES_ANY_SCAN);
  }
}
