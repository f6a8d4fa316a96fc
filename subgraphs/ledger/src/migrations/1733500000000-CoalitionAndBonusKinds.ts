import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The kinds the clearing house, campaigns and customer care post with, in one place so that no two
 * later migrations redefine the same CHECK with different lists:
 * - account kind `COALITION_ISSUANCE`: points the coalition itself funds (coalition campaigns,
 *   referral bonuses, adjustments nobody else funds), owned by the nil UUID;
 * - transaction kind and member entry kind `BONUS` (campaign and referral bonuses);
 * - lot sources `BONUS` and `ADJUSTMENT` (points that arrive by those, spent and expired like others).
 *
 * down() reverts exactly this: the three CHECKs as 1732300000000-CreateLedger and
 * 1732600000000-RedemptionRefunds left them (it fails while rows of the new kinds exist).
 */
export class CoalitionAndBonusKinds1733500000000 implements MigrationInterface {
  name = "CoalitionAndBonusKinds1733500000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await replaceCheck(queryRunner, "accounts", "accounts_kind_check",
      `kind IN ('MEMBER', 'PARTNER_ISSUANCE', 'PARTNER_REDEMPTION', 'PARTNER_BREAKAGE', 'COALITION_ISSUANCE')`);
    await replaceCheck(queryRunner, "transactions", "transactions_kind_check",
      `kind IN ('EARN', 'REDEEM', 'TRANSFER', 'EXPIRY', 'REVERSAL', 'ADJUSTMENT', 'BONUS')`);
    await replaceCheck(queryRunner, "postings", "postings_entry_kind_check",
      `entry_kind IN ('EARN', 'REDEEM', 'TRANSFER_IN', 'TRANSFER_OUT', 'EXPIRY', 'REVERSAL', 'ADJUSTMENT', 'BONUS')`);
    await replaceCheck(queryRunner, "lots", "lots_source_check", `source IN ('EARN', 'TRANSFER', 'RETURN', 'BONUS', 'ADJUSTMENT')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await replaceCheck(queryRunner, "accounts", "accounts_kind_check",
      `kind IN ('MEMBER', 'PARTNER_ISSUANCE', 'PARTNER_REDEMPTION', 'PARTNER_BREAKAGE')`);
    await replaceCheck(queryRunner, "transactions", "transactions_kind_check",
      `kind IN ('EARN', 'REDEEM', 'TRANSFER', 'EXPIRY', 'REVERSAL', 'ADJUSTMENT')`);
    await replaceCheck(queryRunner, "postings", "postings_entry_kind_check",
      `entry_kind IN ('EARN', 'REDEEM', 'TRANSFER_IN', 'TRANSFER_OUT', 'EXPIRY', 'REVERSAL', 'ADJUSTMENT')`);
    await replaceCheck(queryRunner, "lots", "lots_source_check", `source IN ('EARN', 'TRANSFER', 'RETURN')`);
  }
}

async function replaceCheck(queryRunner: QueryRunner, table: string, name: string, check: string): Promise<void> {
  await queryRunner.query(`ALTER TABLE ${table} DROP CONSTRAINT ${name}`);
  await queryRunner.query(`ALTER TABLE ${table} ADD CONSTRAINT ${name} CHECK (${check})`);
}
