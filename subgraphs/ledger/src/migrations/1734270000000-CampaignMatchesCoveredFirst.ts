import type { MigrationInterface, QueryRunner } from "typeorm";
import { APPLY_CAMPAIGN_BONUSES_MATCHED_AS_ANDS, APPLY_CAMPAIGN_BONUSES_TOTALS_ON_CAMPAIGNS, installFunction } from "../sql";

/**
 * Finding a purchase's campaigns checks the conditions that read other tables (a welcome bonus's first
 * purchase, a cross-brand purchase, the tier) only for campaigns that cover the purchase's partner
 * (sql/campaign-bonuses.ts, CAMPAIGN_MATCHES): with plain ANDs the planner ran every cross-brand
 * campaign's window check first (with the bench's 50 campaigns, ten checks a purchase where about one
 * campaign covered it). The same campaigns match. down() reverts exactly this: it reinstalls the statement
 * CampaignBonusesAtOnce1734260000000 installed.
 */
export class CampaignMatchesCoveredFirst1734270000000 implements MigrationInterface {
  name = "CampaignMatchesCoveredFirst1734270000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await installFunction(queryRunner, APPLY_CAMPAIGN_BONUSES_TOTALS_ON_CAMPAIGNS); // CampaignTotals1734290000000 replaces it
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await installFunction(queryRunner, APPLY_CAMPAIGN_BONUSES_MATCHED_AS_ANDS);
  }
}
