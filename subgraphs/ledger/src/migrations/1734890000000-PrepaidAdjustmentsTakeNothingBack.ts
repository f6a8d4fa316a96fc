import type { MigrationInterface, QueryRunner } from "typeorm";
import { CLEARING_VALUE_POSTINGS_BEFORE_ADJUSTMENTS_TAKE_NOTHING_BACK, CLEARING_VALUE_POSTINGS_BEFORE_REFUNDED_BREAKAGE, replaceFunctionSql } from "../sql";

/**
 * A negative adjustment funded by a PREPAID partner gave the partner's allowance back every point it
 * took (the valuation netted every posting to its issuance account). Those points come from the member's
 * lots nearest expiry, whoever issued them (or become a debt), so a partner that bought 1,000 points
 * could fund "−300" against points another partner had issued and issue 1,300. The allowance now moves
 * only by top-ups, what the partner issues while PREPAID, and reversals of what drew on it (refunds):
 * a negative adjustment gives nothing back (sql/clearing.ts `takenBackByAdjustmentSql`). Its valuation
 * (the ADJUSTMENTS line) is unchanged. Nothing already written changes: clearing:verify accepts what
 * the earlier rule gave back for the negative adjustments before this one.
 *
 * down() reverts exactly this: the valuation ErasureForfeitsAsBreakage1734830000000 installed.
 */
export class PrepaidAdjustmentsTakeNothingBack1734890000000 implements MigrationInterface {
  name = "PrepaidAdjustmentsTakeNothingBack1734890000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    // A trigger function is replaced in place: its trigger keeps pointing at it.
    await queryRunner.query(replaceFunctionSql(CLEARING_VALUE_POSTINGS_BEFORE_REFUNDED_BREAKAGE));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(replaceFunctionSql(CLEARING_VALUE_POSTINGS_BEFORE_ADJUSTMENTS_TAKE_NOTHING_BACK));
  }
}
