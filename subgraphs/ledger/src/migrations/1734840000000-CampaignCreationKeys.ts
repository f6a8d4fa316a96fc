import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * An optional `idempotencyKey` on createCampaign (shared/src/creation-keys.ts): a campaign had no key and
 * no natural unique field, so a retry after UPSTREAM_UNAVAILABLE (the contract's advice) created it a
 * second time when the first had committed: twice the budget (outside review). The key is the caller's
 * (`created_by`), kept with the input's hash; campaigns made before have none.
 */
export class CampaignCreationKeys1734840000000 implements MigrationInterface {
  name = "CampaignCreationKeys1734840000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE campaigns ADD COLUMN created_by text CHECK (length(created_by) <= 300)`);
    await queryRunner.query(`ALTER TABLE campaigns ADD COLUMN idempotency_key text CHECK (length(idempotency_key) <= 800)`);
    await queryRunner.query(`ALTER TABLE campaigns ADD COLUMN fingerprint text CHECK (length(fingerprint) = 64)`);
    await queryRunner.query(`ALTER TABLE campaigns ADD CONSTRAINT campaigns_key_with_creator CHECK (idempotency_key IS NULL OR (created_by IS NOT NULL AND fingerprint IS NOT NULL))`);
    await queryRunner.query(`CREATE UNIQUE INDEX campaigns_creation_key ON campaigns (created_by, idempotency_key) WHERE idempotency_key IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX campaigns_creation_key`);
    await queryRunner.query(`ALTER TABLE campaigns DROP CONSTRAINT campaigns_key_with_creator`);
    await queryRunner.query(`ALTER TABLE campaigns DROP COLUMN fingerprint`);
    await queryRunner.query(`ALTER TABLE campaigns DROP COLUMN idempotency_key`);
    await queryRunner.query(`ALTER TABLE campaigns DROP COLUMN created_by`);
  }
}
