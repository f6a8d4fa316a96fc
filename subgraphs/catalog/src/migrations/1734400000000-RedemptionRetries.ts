import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * A redemption that failed for a transient reason (a service or database away: UPSTREAM_UNAVAILABLE,
 * INTERRUPTED...) can be retried with the same key: the retry records a new redemption under the key
 * and the failed one stays, as history, with `superseded_by` naming its successor. A key is unique
 * among the redemptions not superseded (a partial unique index under the constraint's old name, so
 * the code that recognises a key taken meanwhile is unchanged). The link is checked at commit
 * (deferred): the retry marks the failed row before it inserts its successor.
 */
export class RedemptionRetries1734400000000 implements MigrationInterface {
  name = "RedemptionRetries1734400000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE redemptions ADD COLUMN superseded_by uuid CONSTRAINT redemptions_superseded_by_fkey REFERENCES redemptions(id) DEFERRABLE INITIALLY DEFERRED`,
    );
    await queryRunner.query(`ALTER TABLE redemptions ADD CONSTRAINT redemptions_superseded_only_failed CHECK (superseded_by IS NULL OR status = 'FAILED')`);
    await queryRunner.query(`ALTER TABLE redemptions DROP CONSTRAINT redemptions_member_idempotency_key_key`);
    await queryRunner.query(`CREATE UNIQUE INDEX redemptions_member_idempotency_key_key ON redemptions (member_id, idempotency_key) WHERE superseded_by IS NULL`);
  }

  /**
   * Reverts to one redemption per member and key (RedemptionKeysPerMember's UNIQUE constraint) and drops
   * `superseded_by`. Fails, and changes nothing, once a key has been retried: two rows then share it.
   */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX redemptions_member_idempotency_key_key`);
    await queryRunner.query(`ALTER TABLE redemptions ADD CONSTRAINT redemptions_member_idempotency_key_key UNIQUE (member_id, idempotency_key)`);
    await queryRunner.query(`ALTER TABLE redemptions DROP CONSTRAINT redemptions_superseded_only_failed`);
    await queryRunner.query(`ALTER TABLE redemptions DROP COLUMN superseded_by`);
  }
}
