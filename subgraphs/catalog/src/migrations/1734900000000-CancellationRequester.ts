import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Who claimed a cancellation, kept on the redemption until it completes: its CANCEL_REDEMPTION audit
 * line is written when the redemption becomes CANCELLED (in that transaction), not at the claim. A
 * claim the ledger then refuses (the member cap, an erased member) is dropped, and the trail must not
 * say the cancellation happened; a claim finished later by the recovery sweep still names who asked,
 * in which request. Null for a member's own cancellation (not audited).
 */
export class CancellationRequester1734900000000 implements MigrationInterface {
  name = "CancellationRequester1734900000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE redemptions ADD COLUMN cancel_requested_by text CHECK (length(cancel_requested_by) <= 200)`);
    await queryRunner.query(`ALTER TABLE redemptions ADD COLUMN cancel_request_id text CHECK (length(cancel_request_id) <= 128)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE redemptions DROP COLUMN cancel_request_id`);
    await queryRunner.query(`ALTER TABLE redemptions DROP COLUMN cancel_requested_by`);
  }
}
