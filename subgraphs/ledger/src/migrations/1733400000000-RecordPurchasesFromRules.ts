import type { MigrationInterface, QueryRunner } from "typeorm";
import { RECORD_PURCHASES_UNPRICED, installFunction } from "../sql";
import { RecordPurchasesCapped1733310000000 } from "./1733310000000-RecordPurchasesCapped";

/**
 * `record_purchases` from its one current definition (src/sql/record-purchases.ts), no longer re-typed
 * here. What changes against RecordPurchasesCapped1733310000000's:
 * - the qualifying window is the trailing 12 months to the second: whole days from the daily buckets,
 *   the day the window starts in from its purchases (new index `purchases_earned_idx`); the window's
 *   start comes in as an argument (`p_tier_from`, from rules/windows.ts);
 * - a purchase recorded late (`p_tier_at`) takes the member's tier at the time it was made;
 * - points inside a return window no longer repay a debt on arrival (they do once spendable).
 *
 * down() reverts exactly this: it drops the index and re-creates RecordPurchasesCapped1733310000000's function.
 */
export class RecordPurchasesFromRules1733400000000 implements MigrationInterface {
  name = "RecordPurchasesFromRules1733400000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX purchases_earned_idx ON purchases (member_id, earned_at) INCLUDE (available_at, base_points, reversed_base_points)`,
    );
    // The text as it was then; the ClearingHouse migration installs the priced one (sql/record-purchases.ts).
    await installFunction(queryRunner, RECORD_PURCHASES_UNPRICED);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // RecordPurchasesCapped's up() drops the function of this migration and creates its own.
    await new RecordPurchasesCapped1733310000000().up(queryRunner);
    await queryRunner.query(`DROP INDEX purchases_earned_idx`);
  }
}
