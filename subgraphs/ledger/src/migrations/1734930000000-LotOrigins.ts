import type { MigrationInterface, QueryRunner } from "typeorm";
import { CLEARING_VALUE_POSTINGS, CLEARING_VALUE_POSTINGS_BEFORE_LOT_ORIGINS, replaceFunctionSql } from "../sql";

/**
 * A refund took back from the issuer's breakage only what the purchase's own lot lost to expiry: points
 * that left that lot before expiring (given back by a cancelled redemption as a lot of their own, or
 * transferred to another member's lot) were charged to the member again while their expiry kept its
 * breakage credit (README, Refunds: the known gap "until lots record their origin"). A lot now records
 * the lot its points came from (`origin_lot_id`: a cancelled redemption's returned lot, a transfer's
 * received lot); a refund follows the purchase's lot and every lot whose origins lead to it
 * (journal/take-back.ts), and the valuation prices its take-back at what the first of those lots'
 * expiries was credited (REFUNDED_BREAKAGE, sql/clearing.ts). Lots written before have no origin: they
 * are followed as before (only the purchase's own lot), and every refund already valued keeps its value.
 *
 * down() reverts exactly this: the valuation RefundsTakeBackBreakage1734890000003 installed, and the column.
 */
export class LotOrigins1734930000000 implements MigrationInterface {
  name = "LotOrigins1734930000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE lots ADD COLUMN origin_lot_id bigint REFERENCES lots(id)`);
    await queryRunner.query(`ALTER TABLE lots ADD CONSTRAINT lots_origin_source CHECK (origin_lot_id IS NULL OR source IN ('TRANSFER', 'RETURN'))`);
    // A refund follows a lot's descendants: lots by origin.
    await queryRunner.query(`CREATE INDEX lots_origin_idx ON lots (origin_lot_id) WHERE origin_lot_id IS NOT NULL`);
    // A trigger function is replaced in place: its trigger keeps pointing at it.
    await queryRunner.query(replaceFunctionSql(CLEARING_VALUE_POSTINGS));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(replaceFunctionSql(CLEARING_VALUE_POSTINGS_BEFORE_LOT_ORIGINS));
    await queryRunner.query(`DROP INDEX lots_origin_idx`);
    await queryRunner.query(`ALTER TABLE lots DROP CONSTRAINT lots_origin_source`);
    await queryRunner.query(`ALTER TABLE lots DROP COLUMN origin_lot_id`);
  }
}
