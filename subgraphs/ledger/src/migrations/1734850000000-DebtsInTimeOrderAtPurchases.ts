import type { MigrationInterface, QueryRunner } from "typeorm";
import {
  APPLY_CAMPAIGN_BONUSES_BEFORE_DEBTS_IN_TIME_ORDER,
  APPLY_CAMPAIGN_BONUSES_BEFORE_PENDING_WITHIN_CAP,
  RECORD_PURCHASES_BEFORE_DEBTS_IN_TIME_ORDER,
  RECORD_PURCHASES_BEFORE_PENDING_WITHIN_CAP,
  REPAY_DEBT_IN_TIME_ORDER,
  createFunctionSql,
  installFunction,
} from "../sql";

/**
 * A debt is repaid in the order points became spendable, purchases included: `repay_debt_in_time_order`
 * (sql/repay-debt.ts, what lockMembers ran in TypeScript) and `record_purchases` calling it for each
 * purchasing member in debt before its purchases repay anything, and `apply_campaign_bonuses` for a
 * referrer in debt before the referral bonus repays anything. A purchase's own points repaid the
 * debt at once, before an earlier purchase's lot that had become spendable since and passed its expiry
 * before the expiry run: the run then expired that lot in full, and the member lost its points (a
 * referrer the same way, by the bonus a friend's first purchase brought).
 * Nothing already written changes.
 *
 * down() reverts exactly this: record_purchases as TermsAfterWriters1734810000000 installed it,
 * apply_campaign_bonuses as CampaignAwardGuards1734800000000 did.
 */
export class DebtsInTimeOrderAtPurchases1734850000000 implements MigrationInterface {
  name = "DebtsInTimeOrderAtPurchases1734850000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(createFunctionSql(REPAY_DEBT_IN_TIME_ORDER));
    await installFunction(queryRunner, RECORD_PURCHASES_BEFORE_PENDING_WITHIN_CAP);
    await installFunction(queryRunner, APPLY_CAMPAIGN_BONUSES_BEFORE_PENDING_WITHIN_CAP);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await installFunction(queryRunner, APPLY_CAMPAIGN_BONUSES_BEFORE_DEBTS_IN_TIME_ORDER);
    await installFunction(queryRunner, RECORD_PURCHASES_BEFORE_DEBTS_IN_TIME_ORDER);
    await queryRunner.query(`DROP FUNCTION repay_debt_in_time_order`);
  }
}
