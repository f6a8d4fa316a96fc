import type { MigrationInterface, QueryRunner } from "typeorm";

/** Per-member limits per reward, the stock a reward started with (for consistency checks), voucher use and cancellation. */
export class RedemptionLimits1732600000000 implements MigrationInterface {
  name = "RedemptionLimits1732600000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE rewards ADD COLUMN max_per_member int CHECK (max_per_member > 0)`);
    await queryRunner.query(`ALTER TABLE rewards ADD COLUMN initial_stock int CHECK (initial_stock >= 0)`);
    // Existing rewards: what is left plus what redemptions hold or took.
    await queryRunner.query(`
      UPDATE rewards r SET initial_stock = r.stock + (
        SELECT count(*) FROM redemptions d WHERE d.reward_id = r.id AND d.status IN ('PENDING', 'COMPLETED'))
      WHERE r.stock IS NOT NULL`);
    await queryRunner.query(`ALTER TABLE redemptions ADD COLUMN voucher_used_at timestamptz`);
    // Set when a cancellation is accepted (the voucher is blocked from then on); CANCELLED once the points are back.
    await queryRunner.query(`ALTER TABLE redemptions ADD COLUMN cancel_requested_at timestamptz`);
    await queryRunner.query(`CREATE INDEX redemptions_member_reward_idx ON redemptions (member_id, reward_id) WHERE status IN ('PENDING', 'COMPLETED')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX redemptions_member_reward_idx`);
    await queryRunner.query(`ALTER TABLE redemptions DROP COLUMN cancel_requested_at`);
    await queryRunner.query(`ALTER TABLE redemptions DROP COLUMN voucher_used_at`);
    await queryRunner.query(`ALTER TABLE rewards DROP COLUMN initial_stock`);
    await queryRunner.query(`ALTER TABLE rewards DROP COLUMN max_per_member`);
  }
}
