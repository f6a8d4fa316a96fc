import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Cancelled redemptions give their points back with the expiry they had: remember which lots each
 * REDEEM took from, and allow lots that return points.
 */
export class RedemptionRefunds1732600000000 implements MigrationInterface {
  name = "RedemptionRefunds1732600000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE lot_takes (
        transaction_id uuid NOT NULL REFERENCES transactions (id),
        lot_id bigint NOT NULL REFERENCES lots (id),
        points int NOT NULL CHECK (points > 0),
        PRIMARY KEY (transaction_id, lot_id)
      )`);
    await queryRunner.query(`ALTER TABLE lots DROP CONSTRAINT lots_source_check`);
    await queryRunner.query(`ALTER TABLE lots ADD CONSTRAINT lots_source_check CHECK (source IN ('EARN', 'TRANSFER', 'RETURN'))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE lots DROP CONSTRAINT lots_source_check`);
    await queryRunner.query(`ALTER TABLE lots ADD CONSTRAINT lots_source_check CHECK (source IN ('EARN', 'TRANSFER'))`);
    await queryRunner.query(`DROP TABLE lot_takes`);
  }
}
