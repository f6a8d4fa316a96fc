import type { MigrationInterface, QueryRunner } from "typeorm";
import { ERASED_ADJUSTMENT_NOTE } from "../rules/erasure";

/**
 * An adjustment's note is free text written about the member, and an outside review found a member's
 * name and address still in `adjustments.note` after their erasure. The append-only trigger of
 * `adjustments` now admits one change: an erased member's note (the id in `member_erasures`) replaced
 * by ERASED_ADJUSTMENT_NOTE (rules/erasure.ts), every other column unchanged; the erasure's ledger step
 * makes it (member-data/erasure.service.ts). Anything else is refused as before. The notes of members
 * erased before this migration are replaced here.
 *
 * down() reverts the trigger to ledger_history_is_append_only() (the notes replaced stay replaced).
 */
export class AdjustmentNotesErased1734920000000 implements MigrationInterface {
  name = "AdjustmentNotesErased1734920000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    const erased = `'${ERASED_ADJUSTMENT_NOTE.replace(/'/g, "''")}'`;
    await queryRunner.query(`
      CREATE FUNCTION adjustments_append_only_but_erased_notes() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE'
           AND (NEW.transaction_id, NEW.member_id, NEW.reason, NEW.made_by, NEW.funded_by_partner_id)
               IS NOT DISTINCT FROM (OLD.transaction_id, OLD.member_id, OLD.reason, OLD.made_by, OLD.funded_by_partner_id)
           AND NEW.note = ${erased}
           AND EXISTS (SELECT 1 FROM member_erasures e WHERE e.member_id = OLD.member_id) THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'ledger history is append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME;
      END $$`);
    await queryRunner.query(`DROP TRIGGER adjustments_append_only ON adjustments`);
    await queryRunner.query(
      `CREATE TRIGGER adjustments_append_only BEFORE UPDATE OR DELETE ON adjustments FOR EACH ROW EXECUTE FUNCTION adjustments_append_only_but_erased_notes()`,
    );
    await queryRunner.query(`UPDATE adjustments SET note = ${erased} WHERE note <> ${erased} AND member_id IN (SELECT member_id FROM member_erasures)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER adjustments_append_only ON adjustments`);
    await queryRunner.query(`CREATE TRIGGER adjustments_append_only BEFORE UPDATE OR DELETE ON adjustments FOR EACH ROW EXECUTE FUNCTION ledger_history_is_append_only()`);
    await queryRunner.query(`DROP FUNCTION adjustments_append_only_but_erased_notes()`);
  }
}
