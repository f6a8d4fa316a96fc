import type { MigrationInterface, QueryRunner } from "typeorm";

/** Partner apps' API keys: only a SHA-256 hash is kept (keys are 256 random bits, so a fast hash is enough). */
export class CreatePartnerApiKeys1732700000000 implements MigrationInterface {
  name = "CreatePartnerApiKeys1732700000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE partner_api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        partner_id uuid NOT NULL REFERENCES partners (id),
        key_hash text NOT NULL CONSTRAINT partner_api_keys_hash_key UNIQUE,
        -- The first characters, so a partner can tell its keys apart; never enough to use.
        prefix text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX partner_api_keys_partner_idx ON partner_api_keys (partner_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE partner_api_keys`);
  }
}
