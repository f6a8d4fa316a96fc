import type { MigrationInterface, QueryRunner } from "typeorm";
import { APPLY_CAMPAIGN_BONUSES_BEFORE_ENDS_UNDER_LOCK, APPLY_CAMPAIGN_BONUSES_BEFORE_REFERRER_EXPIRY_IN_MONTHS, installFunction } from "../sql";

/**
 * A campaign ended early is skipped under its budget row's lock (an outside review): a purchase that
 * had found its matches and was waiting for a busy campaign's budget row when `endCampaign` committed
 * still awarded the bonus, recorded after the end. `campaign_totals.ended` is set by endCampaign with
 * `campaigns.ended_at` (ledger:verify checks they agree), and `apply_campaign_bonuses` checks it in the
 * statement that locks the budget rows (sql/campaign-bonuses.ts CAMPAIGN_TOTALS_ENDS_UNDER_LOCK), so
 * Postgres reads it again for a row updated while it waited. Campaigns ended before are marked here.
 *
 * down() reverts exactly this: apply_campaign_bonuses as PendingWithinCap1734860000000 installed it,
 * and the column dropped.
 */
export class CampaignEndsUnderLock1734870000000 implements MigrationInterface {
  name = "CampaignEndsUnderLock1734870000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE campaign_totals ADD COLUMN ended boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`UPDATE campaign_totals t SET ended = true FROM campaigns c WHERE c.id = t.campaign_id AND c.ended_at IS NOT NULL`);
    await installFunction(queryRunner, APPLY_CAMPAIGN_BONUSES_BEFORE_REFERRER_EXPIRY_IN_MONTHS);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await installFunction(queryRunner, APPLY_CAMPAIGN_BONUSES_BEFORE_ENDS_UNDER_LOCK);
    await queryRunner.query(`ALTER TABLE campaign_totals DROP COLUMN ended`);
  }
}
