import type { MigrationInterface, QueryRunner } from "typeorm";

export class CreateMembers1732300000000 implements MigrationInterface {
  name = "CreateMembers1732300000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE members (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL CONSTRAINT members_email_key UNIQUE CHECK (email = lower(email)),
        display_name text NOT NULL,
        enrolled_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX members_enrolled_at_id_idx ON members (enrolled_at, id)`);
    await queryRunner.query(`
      CREATE TABLE partner_accounts (
        member_id uuid NOT NULL REFERENCES members (id),
        partner_id uuid NOT NULL,
        external_id text NOT NULL,
        linked_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT partner_accounts_pkey PRIMARY KEY (member_id, partner_id),
        CONSTRAINT partner_accounts_partner_external_key UNIQUE (partner_id, external_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE partner_accounts`);
    await queryRunner.query(`DROP TABLE members`);
  }
}
