import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * An optional `idempotencyKey` on createReward (shared/src/creation-keys.ts): a reward had no key and no
 * natural unique field, so a retry after UPSTREAM_UNAVAILABLE (the contract's advice) created it a
 * second time when the first had committed, with stock of its own (outside review). The key is the
 * caller's (`created_by`), kept with the input's hash; rewards made before have none.
 */
export class RewardCreationKeys1734910000000 implements MigrationInterface {
  name = "RewardCreationKeys1734910000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE rewards ADD COLUMN created_by text CHECK (length(created_by) <= 300)`);
    await queryRunner.query(`ALTER TABLE rewards ADD COLUMN idempotency_key text CHECK (length(idempotency_key) <= 800)`);
    await queryRunner.query(`ALTER TABLE rewards ADD COLUMN fingerprint text CHECK (length(fingerprint) = 64)`);
    await queryRunner.query(`ALTER TABLE rewards ADD CONSTRAINT rewards_key_with_creator CHECK (idempotency_key IS NULL OR (created_by IS NOT NULL AND fingerprint IS NOT NULL))`);
    await queryRunner.query(`CREATE UNIQUE INDEX rewards_creation_key ON rewards (created_by, idempotency_key) WHERE idempotency_key IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX rewards_creation_key`);
    await queryRunner.query(`ALTER TABLE rewards DROP CONSTRAINT rewards_key_with_creator`);
    await queryRunner.query(`ALTER TABLE rewards DROP COLUMN fingerprint`);
    await queryRunner.query(`ALTER TABLE rewards DROP COLUMN idempotency_key`);
    await queryRunner.query(`ALTER TABLE rewards DROP COLUMN created_by`);
  }
}
