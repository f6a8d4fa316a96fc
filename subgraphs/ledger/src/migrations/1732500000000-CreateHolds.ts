import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Two-phase redemption: a hold reserves a member's points (they leave `available` at once) until it
 * is captured (a REDEEM transaction) or released. One row per redemption id, which makes every step
 * idempotent; a release that arrives before its hold leaves a RELEASED row so the late hold is refused.
 */
export class CreateHolds1732500000000 implements MigrationInterface {
  name = "CreateHolds1732500000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE holds (
        redemption_id uuid PRIMARY KEY,
        member_id uuid NOT NULL,
        partner_id uuid NOT NULL,
        points int NOT NULL CHECK (points > 0),
        status text NOT NULL CHECK (status IN ('HELD','CAPTURED','RELEASED')),
        expires_at timestamptz NOT NULL,
        transaction_id uuid REFERENCES transactions (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'CAPTURED') = (transaction_id IS NOT NULL))
      )`);
    await queryRunner.query(`CREATE INDEX holds_active_idx ON holds (member_id, expires_at) WHERE status = 'HELD'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE holds`);
  }
}
