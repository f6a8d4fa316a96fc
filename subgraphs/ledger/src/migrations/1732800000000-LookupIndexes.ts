import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Indexes for lookups that read too much: a reversal found its lot by a scan of every lot, and a
 * member's pending points read each pending lot and purchase from the table. Pending sums now come
 * from the index alone (index-only scans), however long the member's history.
 */
export class LookupIndexes1732800000000 implements MigrationInterface {
  name = "LookupIndexes1732800000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX lots_transaction_idx ON lots (transaction_id)`);
    await queryRunner.query(`DROP INDEX lots_pending_idx`);
    await queryRunner.query(`CREATE INDEX lots_pending_idx ON lots (member_id, available_at) INCLUDE (remaining, expires_at) WHERE remaining > 0`);
    await queryRunner.query(`DROP INDEX purchases_pending_idx`);
    await queryRunner.query(`CREATE INDEX purchases_pending_idx ON purchases (member_id, available_at) INCLUDE (earned_at, base_points, reversed_base_points)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX purchases_pending_idx`);
    await queryRunner.query(`CREATE INDEX purchases_pending_idx ON purchases (member_id, available_at)`);
    await queryRunner.query(`DROP INDEX lots_pending_idx`);
    await queryRunner.query(`CREATE INDEX lots_pending_idx ON lots (member_id, available_at)`);
    await queryRunner.query(`DROP INDEX lots_transaction_idx`);
  }
}
