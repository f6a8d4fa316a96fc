import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * `partner_account_history` by (partner, account id): an erasure blanks the erased member's account
 * ids in other members' link history (a card number someone else typed and the till then linked to
 * its holder: member-data/erasure.saga.ts), found through this index instead of a scan of the history.
 *
 * down() reverts exactly this: drops the index.
 */
export class HistoryByAccountId1734930000000 implements MigrationInterface {
  name = "HistoryByAccountId1734930000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX partner_account_history_account_idx ON partner_account_history (partner_id, external_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX partner_account_history_account_idx`);
  }
}
