import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The erasure feed (member-data/erasure-feed.ts): every erasure records the id of the transaction
 * that wrote it (`erased_xid`), so a gateway can read the erasures it has not seen yet by
 * transaction id, against the oldest transaction still running, instead of asking about every member
 * on every request. Erasures made before this migration share its transaction's id.
 * down() reverts exactly this: drops the index and the column.
 */
export class ErasureFeed1734400000000 implements MigrationInterface {
  name = "ErasureFeed1734400000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE member_erasures ADD COLUMN erased_xid xid8 NOT NULL DEFAULT pg_current_xact_id()`);
    await queryRunner.query(`CREATE INDEX member_erasures_feed_idx ON member_erasures (erased_xid, member_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX member_erasures_feed_idx`);
    await queryRunner.query(`ALTER TABLE member_erasures DROP COLUMN erased_xid`);
  }
}
