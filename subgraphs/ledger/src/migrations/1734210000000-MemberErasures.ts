import type { MigrationInterface, QueryRunner } from "typeorm";
import { RECORD_PURCHASES_BEFORE_ERASURES, RECORD_PURCHASES_BEFORE_ISSUE_PRICE_IN_PLACE, installFunction } from "../sql";

/**
 * `member_erasures`: one row per erased member (issue 18), written in the transaction that forfeits
 * their points. It marks the id as erased (no new points, holds or refunds for it) and records the
 * ADJUSTMENT's reason, ERASURE (`adjustment_reason`, kept here until the ledger has one place for
 * every adjustment's reason), its transaction (null when nothing was left to forfeit) and the points;
 * `record_purchases` (src/sql/record-purchases.ts) refuses purchases for the ids it holds.
 *
 * down() reverts exactly this: RecordPurchasesFromRules1733400000000's function, and the table
 * dropped (the ADJUSTMENT transactions stay, as history does).
 */
export class MemberErasures1734210000000 implements MigrationInterface {
  name = "MemberErasures1734210000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE member_erasures (
        member_id uuid PRIMARY KEY,
        transaction_id uuid UNIQUE REFERENCES transactions (id),
        adjustment_reason text NOT NULL CHECK (adjustment_reason IN ('ERASURE')),
        forfeited_points bigint NOT NULL CHECK (forfeited_points >= 0),
        erased_at timestamptz NOT NULL,
        CHECK ((transaction_id IS NULL) = (forfeited_points = 0))
      )`);
    await installFunction(queryRunner, RECORD_PURCHASES_BEFORE_ISSUE_PRICE_IN_PLACE);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await installFunction(queryRunner, RECORD_PURCHASES_BEFORE_ERASURES);
    await queryRunner.query(`DROP TABLE member_erasures`);
  }
}
