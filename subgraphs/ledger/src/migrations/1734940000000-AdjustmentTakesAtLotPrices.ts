import type { MigrationInterface, QueryRunner } from "typeorm";
import { CLEARING_VALUE_POSTINGS, CLEARING_VALUE_POSTINGS_BEFORE_ADJUSTMENT_TAKES, replaceFunctionSql } from "../sql";

/**
 * A negative adjustment a partner funded (customer care taking points back) was credited to the funder
 * at its issue price in force when it was posted, whoever's lots it took and whatever they were charged:
 * points charged at 1,234 per 1,000 taken back after the funder's price went to 3,000 were credited at
 * 3,000, and the operator paid out more than it had received for them. An adjustment now records the
 * lots it took (`lot_takes`, as a redemption does, written before its postings), and the valuation
 * credits each at the price its lot was charged (TAKEN_LOTS_PRICE, rules/clearing.ts), as a refund is
 * credited at its purchase's price; what the member could not cover (owed) stays at the funder's price.
 * Adjustments valued before keep their value (they recorded no takes).
 *
 * down() reinstalls the valuation LotOrigins1734930000000 installed.
 */
export class AdjustmentTakesAtLotPrices1734940000000 implements MigrationInterface {
  name = "AdjustmentTakesAtLotPrices1734940000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    // A trigger function is replaced in place: its trigger keeps pointing at it.
    await queryRunner.query(replaceFunctionSql(CLEARING_VALUE_POSTINGS));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(replaceFunctionSql(CLEARING_VALUE_POSTINGS_BEFORE_ADJUSTMENT_TAKES));
  }
}
