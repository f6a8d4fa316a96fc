import type { MigrationInterface, QueryRunner } from "typeorm";
import { APPLY_CAMPAIGN_BONUSES_BEFORE_CROSS_BRAND_EARNED, APPLY_CAMPAIGN_BONUSES_BEFORE_ISSUE_PRICE_IN_PLACE, installFunction } from "../sql";

/**
 * `apply_campaign_bonuses` (sql/campaign-bonuses.ts, `crossBrandSql`, rules/campaigns.ts
 * `earnedAtOtherPartner`): a cross-brand campaign's earlier purchase at the other partner must have
 * earned points. Before, any purchase counted, so a one-cent receipt at the bookstore (0 points) opened
 * the café's "after the bookstore" bonus, paid by the café (from the outside audit). Bonuses already
 * paid are not changed.
 *
 * down() reverts it: the definition ReferralGuards1734320000000 installed.
 */
export class CrossBrandEarned1734340000000 implements MigrationInterface {
  name = "CrossBrandEarned1734340000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await installFunction(queryRunner, APPLY_CAMPAIGN_BONUSES_BEFORE_ISSUE_PRICE_IN_PLACE);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await installFunction(queryRunner, APPLY_CAMPAIGN_BONUSES_BEFORE_CROSS_BRAND_EARNED);
  }
}
