import type { MigrationInterface, QueryRunner } from "typeorm";
import { RECORD_PURCHASES, RECORD_PURCHASES_BEFORE_TIER_AT_PURCHASE, installFunction } from "../sql";

/**
 * Each purchase records the qualifying points its tier bonus was read from (`tier_qualifying_points`),
 * so that `npm run ledger:verify` checks its points against the tier the member had when it was made
 * (rules/tiers.ts `tierFor`, `pointsAtTier`, as SQL: `tierPercentSql`, `pointsAtTierSql`), not against
 * any tier: a purchase credited at the wrong tier passed as long as its points were some tier's amount.
 *
 * The history cannot tell that tier afterwards: the qualifying sums (sql/qualifying.ts) read each earlier
 * purchase's base points less what refunds took back since, and late purchases recorded since at their
 * earlier times, and a live purchase's window started 12 months before when it was recorded. Purchases
 * written before this migration have none: ledger:verify checks them as before, against any tier (README,
 * Audit). The seeders write it as they compute it (seed/earnings.ts, QualifyingCounter).
 *
 * down() reverts exactly this: record_purchases as ReferrersLockedWithMembers1734890000002 installed it, and the column dropped.
 */
export class TierAtPurchase1734950000001 implements MigrationInterface {
  name = "TierAtPurchase1734950000001";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE purchases ADD COLUMN tier_qualifying_points bigint`);
    await installFunction(queryRunner, RECORD_PURCHASES);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await installFunction(queryRunner, RECORD_PURCHASES_BEFORE_TIER_AT_PURCHASE);
    await queryRunner.query(`ALTER TABLE purchases DROP COLUMN tier_qualifying_points`);
  }
}
