import type { MigrationInterface, QueryRunner } from "typeorm";
import { APPLY_CAMPAIGN_BONUSES_ANY_SCAN, APPLY_CAMPAIGN_BONUSES_TOTALS_ON_CAMPAIGNS, installFunction } from "../sql";

/**
 * A campaign's budget and running totals move from its `campaigns` row to a row of their own in
 * `campaign_totals`, with the check that the points awarded never pass the budget. Every purchase
 * reads the campaigns rows to find its matches; each group of purchases updated the totals of the
 * campaigns it paid, so the rows every purchase read piled up dead versions until vacuum, and finding
 * the campaigns grew slower by the second (sql/campaign-bonuses.ts, CAMPAIGN_TOTALS). The
 * `campaigns` rows now change only when a campaign ends. `apply_campaign_bonuses` locks and adds to
 * the new rows; nothing else changes.
 *
 * down() reverts exactly this: the three columns and their checks back on `campaigns` with their
 * values, the table dropped, and the statement CampaignMatchesCoveredFirst1734270000000 installed.
 */
export class CampaignTotals1734290000000 implements MigrationInterface {
  name = "CampaignTotals1734290000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE campaign_totals (
        campaign_id uuid PRIMARY KEY REFERENCES campaigns(id),
        budget_points bigint CHECK (budget_points > 0),
        points_awarded bigint NOT NULL DEFAULT 0,
        members_rewarded integer NOT NULL DEFAULT 0 CHECK (members_rewarded >= 0),
        CHECK (points_awarded >= 0 AND (budget_points IS NULL OR points_awarded <= budget_points))
      )`);
    await queryRunner.query(`
      INSERT INTO campaign_totals (campaign_id, budget_points, points_awarded, members_rewarded)
      SELECT id, budget_points, points_awarded, members_rewarded FROM campaigns`);
    // Dropping the columns drops the checks that name them.
    await queryRunner.query(`ALTER TABLE campaigns DROP COLUMN budget_points, DROP COLUMN points_awarded, DROP COLUMN members_rewarded`);
    await installFunction(queryRunner, APPLY_CAMPAIGN_BONUSES_ANY_SCAN); // CampaignBonusesPlannedByKey1734300000000 replaces it
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE campaigns
        ADD COLUMN budget_points bigint CHECK (budget_points > 0),
        ADD COLUMN points_awarded bigint NOT NULL DEFAULT 0,
        ADD COLUMN members_rewarded integer NOT NULL DEFAULT 0 CHECK (members_rewarded >= 0),
        ADD CHECK (points_awarded >= 0 AND (budget_points IS NULL OR points_awarded <= budget_points))`);
    await queryRunner.query(`
      UPDATE campaigns c SET budget_points = t.budget_points, points_awarded = t.points_awarded, members_rewarded = t.members_rewarded
      FROM campaign_totals t WHERE t.campaign_id = c.id`);
    await queryRunner.query(`DROP TABLE campaign_totals`);
    await installFunction(queryRunner, APPLY_CAMPAIGN_BONUSES_TOTALS_ON_CAMPAIGNS);
  }
}
