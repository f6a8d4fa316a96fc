import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Customer care adjustments: why each ADJUSTMENT transaction was made (reason, note), who made it and
 * who funds it, one row per transaction, append-only like the transactions themselves.
 * down() reverts exactly this: drops `adjustments` (and its append-only triggers with it).
 */
export class Adjustments1734250100000 implements MigrationInterface {
  name = "Adjustments1734250100000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE adjustments (
        transaction_id uuid PRIMARY KEY REFERENCES transactions (id),
        member_id uuid NOT NULL,
        reason text NOT NULL CHECK (reason IN ('GOODWILL', 'CORRECTION', 'MIGRATION', 'FRAUD')),
        note text NOT NULL CHECK (length(note) BETWEEN 1 AND 500),
        made_by text NOT NULL,
        funded_by_partner_id uuid
      )`);
    await queryRunner.query(`CREATE TRIGGER adjustments_append_only BEFORE UPDATE OR DELETE ON adjustments FOR EACH ROW EXECUTE FUNCTION ledger_history_is_append_only()`);
    await queryRunner.query(`CREATE TRIGGER adjustments_no_truncate BEFORE TRUNCATE ON adjustments FOR EACH STATEMENT EXECUTE FUNCTION ledger_history_is_append_only()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE adjustments`);
  }
}
