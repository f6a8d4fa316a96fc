import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * `partner_accounts.confirmed`: whether the account id came from the partner's own app or an admin
 * (true) or was typed by the member themself (false). A member could link themself to any partner
 * with any account id, ACTIVE at once, and so block the card's real holder (CONFLICT) for good (from
 * an outside audit). Now a link the partner's app or an admin makes replaces another member's
 * unconfirmed link with the same account id (`replaceUnconfirmedClaims` in partner-account/account-id-key.ts).
 * Links made before this migration count as confirmed: they keep blocking as they did.
 *
 * down() reverts exactly this: drops the column.
 */
export class ConfirmedAccountIds1734500000000 implements MigrationInterface {
  name = "ConfirmedAccountIds1734500000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE partner_accounts ADD COLUMN confirmed boolean NOT NULL DEFAULT true`);
    // Every writer says which it is (no default to fall back on).
    await queryRunner.query(`ALTER TABLE partner_accounts ALTER COLUMN confirmed DROP DEFAULT`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE partner_accounts DROP COLUMN confirmed`);
  }
}
