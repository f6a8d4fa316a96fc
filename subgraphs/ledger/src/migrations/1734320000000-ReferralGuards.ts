import type { MigrationInterface, QueryRunner } from "typeorm";
import { APPLY_CAMPAIGN_BONUSES_BEFORE_CROSS_BRAND_EARNED, APPLY_CAMPAIGN_BONUSES_BEFORE_REFERRAL_GUARDS, installFunction } from "../sql";

/**
 * `apply_campaign_bonuses` (sql/campaign-bonuses.ts, CURRENT_AWARDS, `referralGuards`): a referral pays
 * on the referred member's first purchase that earns points, so a partner cannot pay the coalition's
 * referral bonuses with one-cent purchases of made-up members; and an erased referrer gets nothing (an
 * erased id gets no points: README, Members' data). Referrals already paid are not changed.
 *
 * down() reverts it: the definition CampaignFundersAndReferrers1734310000000 installed.
 */
export class ReferralGuards1734320000000 implements MigrationInterface {
  name = "ReferralGuards1734320000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await installFunction(queryRunner, APPLY_CAMPAIGN_BONUSES_BEFORE_CROSS_BRAND_EARNED); // CrossBrandEarned1734340000000 replaces it
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await installFunction(queryRunner, APPLY_CAMPAIGN_BONUSES_BEFORE_REFERRAL_GUARDS);
  }
}
