import type { MigrationInterface, QueryRunner } from "typeorm";

export class CreateCatalog1732400000000 implements MigrationInterface {
  name = "CreateCatalog1732400000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    // partner_id has no FK: partners live in another service's database.
    // minimum_tier_rank lets eligibility compare tiers with <= in SQL (BASE < SILVER < GOLD < PLATINUM).
    await queryRunner.query(`
      CREATE TABLE rewards (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        partner_id uuid NOT NULL,
        title text NOT NULL,
        description text NOT NULL,
        cost_points int NOT NULL CHECK (cost_points > 0),
        minimum_tier text NOT NULL CHECK (minimum_tier IN ('BASE','SILVER','GOLD','PLATINUM')),
        minimum_tier_rank smallint NOT NULL GENERATED ALWAYS AS (
          CASE minimum_tier WHEN 'BASE' THEN 0 WHEN 'SILVER' THEN 1 WHEN 'GOLD' THEN 2 WHEN 'PLATINUM' THEN 3 END
        ) STORED,
        stock int CHECK (stock >= 0),
        valid_from timestamptz,
        valid_until timestamptz,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (valid_until IS NULL OR valid_from IS NULL OR valid_until > valid_from)
      )`);
    await queryRunner.query(`CREATE INDEX rewards_partner_id_idx ON rewards (partner_id, cost_points, id)`);
    await queryRunner.query(`CREATE INDEX rewards_cost_points_id_idx ON rewards (cost_points, id)`);

    await queryRunner.query(`
      CREATE TABLE redemptions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        member_id uuid NOT NULL,
        reward_id uuid NOT NULL REFERENCES rewards (id),
        points_spent int NOT NULL CHECK (points_spent > 0),
        status text NOT NULL CHECK (status IN ('PENDING','COMPLETED','FAILED','CANCELLED')),
        voucher_code text CONSTRAINT redemptions_voucher_code_key UNIQUE,
        idempotency_key text NOT NULL CONSTRAINT redemptions_idempotency_key_key UNIQUE,
        failure_reason text,
        ledger_entry_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX redemptions_member_created_idx ON redemptions (member_id, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX redemptions_reward_id_idx ON redemptions (reward_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE redemptions`);
    await queryRunner.query(`DROP TABLE rewards`);
  }
}
