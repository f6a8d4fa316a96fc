import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Redemption idempotency keys belong to the member who redeems: unique per (member_id, idempotency_key)
 * instead of across all members, so one member's key never tells another member anything, and nobody
 * can block keys another member will use. The new index also serves the key lookup of a redemption.
 */
export class RedemptionKeysPerMember1733200000000 implements MigrationInterface {
  name = "RedemptionKeysPerMember1733200000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE redemptions ADD CONSTRAINT redemptions_member_idempotency_key_key UNIQUE (member_id, idempotency_key)`);
    await queryRunner.query(`ALTER TABLE redemptions DROP CONSTRAINT redemptions_idempotency_key_key`);
  }

  /**
   * Back to one key across all members (CreateCatalog's redemptions_idempotency_key_key). Fails, and
   * changes nothing, once two members have used the same key: rename one of those keys first.
   */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE redemptions ADD CONSTRAINT redemptions_idempotency_key_key UNIQUE (idempotency_key)`);
    await queryRunner.query(`ALTER TABLE redemptions DROP CONSTRAINT redemptions_member_idempotency_key_key`);
  }
}
