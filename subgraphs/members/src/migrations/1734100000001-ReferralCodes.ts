import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Every member gets a referral code (README, "Campaigns and referrals"): 16 hex digits, the first 16 of
 * a version-4 UUID (60 random bits: the 13th digit is always 4; enough that codes cannot be guessed one
 * after another), upper case, unique. Existing members get theirs here (a volatile default is
 * evaluated per row).
 *
 * down() reverts exactly this: it drops the column (and its unique index).
 */
export class ReferralCodes1734100000001 implements MigrationInterface {
  name = "ReferralCodes1734100000001";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE members ADD COLUMN referral_code text NOT NULL DEFAULT upper(substr(replace(gen_random_uuid()::text, '-', ''), 1, 16))
       CONSTRAINT members_referral_code_key UNIQUE`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE members DROP COLUMN referral_code`);
  }
}
