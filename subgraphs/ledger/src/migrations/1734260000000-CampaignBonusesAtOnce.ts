import type { MigrationInterface, QueryRunner } from "typeorm";
import { APPLY_CAMPAIGN_BONUSES_MATCHED_AS_ANDS, APPLY_CAMPAIGN_BONUSES_ONE_BY_ONE, installFunction } from "../sql";

/**
 * Campaign bonuses for a whole group of purchases in one statement (sql/campaign-bonuses.ts; the
 * definition this installed is kept in sql/campaign-bonuses-earlier.ts) instead
 * of a loop turn and a `post_bonus` call per award: with 50 active campaigns a purchase earns several
 * bonuses, and one by one they cost most of a checkout's database time (issue 17, item 7). The awards
 * are the same, except that a purchase's bonuses now fit under the points cap together or not at all
 * (rules/campaigns.ts, bonusesFitUnderCap). down() reverts exactly this: it reinstalls the loop that
 * Campaigns1734100000000 installed.
 */
export class CampaignBonusesAtOnce1734260000000 implements MigrationInterface {
  name = "CampaignBonusesAtOnce1734260000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await installFunction(queryRunner, APPLY_CAMPAIGN_BONUSES_MATCHED_AS_ANDS); // CampaignMatchesCoveredFirst1734270000000 replaces it
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await installFunction(queryRunner, APPLY_CAMPAIGN_BONUSES_ONE_BY_ONE);
  }
}
