import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Drops `rewards.minimum_tier_rank`, a second copy of the tier order (a CASE typed into SQL). The
 * eligibility filter now compares tiers by their position in TIER_ORDER (shared/src/enums), passed as
 * a parameter by reward/eligibility.ts, so the order has one home.
 */
export class TierOrderFromCode1733400000000 implements MigrationInterface {
  name = "TierOrderFromCode1733400000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE rewards DROP COLUMN minimum_tier_rank`);
  }

  /** Back to the generated column of CreateCatalog (with the order it had then). */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE rewards ADD COLUMN minimum_tier_rank smallint NOT NULL GENERATED ALWAYS AS (
        CASE minimum_tier WHEN 'BASE' THEN 0 WHEN 'SILVER' THEN 1 WHEN 'GOLD' THEN 2 WHEN 'PLATINUM' THEN 3 END
      ) STORED`);
  }
}
