import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Links need the member's consent: a link a partner app makes is PENDING until the member approves it.
 * Links that exist already were made under the old rules (by admins, members, or partner apps) and
 * become ACTIVE, so partners keep the view they have today; a member can end any of them with
 * unlinkPartnerAccount. New rows default to PENDING, so a row written without a status gives no view.
 */
export class PartnerLinkConsent1733300000000 implements MigrationInterface {
  name = "PartnerLinkConsent1733300000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE partner_accounts ADD COLUMN status text NOT NULL DEFAULT 'ACTIVE' CONSTRAINT partner_accounts_status_check CHECK (status IN ('PENDING', 'ACTIVE'))`,
    );
    await queryRunner.query(`ALTER TABLE partner_accounts ALTER COLUMN status SET DEFAULT 'PENDING'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Pending links never had the member's consent: they must not come back as plain links.
    await queryRunner.query(`DELETE FROM partner_accounts WHERE status = 'PENDING'`);
    await queryRunner.query(`ALTER TABLE partner_accounts DROP COLUMN status`);
  }
}
