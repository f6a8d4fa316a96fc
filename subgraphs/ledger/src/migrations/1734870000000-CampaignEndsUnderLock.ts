import type { MigrationInterface, QueryRunner } from "typeorm";
import { APPLY_CAMPAIGN_BONUSES, APPLY_CAMPAIGN_BONUSES_BEFORE_ENDS_UNDER_LOCK, installFunction } from "../sql";

/**
 * `apply_campaign_bonuses` locks each matched campaign's row (FOR SHARE) with its budget row and reads
 * `ended_at` again under that lock (sql/campaign-bonuses.ts CAMPAIGN_TOTALS_ENDS_UNDER_LOCK): a purchase
 * that had found its matches and was waiting for a busy campaign's budget row when `endCampaign`
 * committed still awarded the bonus, recorded after the end. Nothing already written changes.
 *
 * down() reverts exactly this: apply_campaign_bonuses as PendingWithinCap1734860000000 installed it.
 */
export class CampaignEndsUnderLock1734870000000 implements MigrationInterface {
  name = "CampaignEndsUnderLock1734870000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await installFunction(queryRunner, APPLY_CAMPAIGN_BONUSES);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await installFunction(queryRunner, APPLY_CAMPAIGN_BONUSES_BEFORE_ENDS_UNDER_LOCK);
  }
}
