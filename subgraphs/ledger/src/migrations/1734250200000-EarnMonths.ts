import type { MigrationInterface, QueryRunner } from "typeorm";
import { installFunction } from "../sql";
import { EARN_MONTH_SQL, PURCHASES_NOTE_EARN_MONTHS_AS_FIRST_INSTALLED } from "../sql/earn-months";

/**
 * Partner insights' running state (sql/earn-months.ts): which members made a purchase at which
 * partner in which UTC month, kept by a statement trigger on `purchases` and filled here from the
 * purchases recorded so far.
 * down() reverts exactly this: drops the trigger, its function and `member_earn_months`.
 */
export class EarnMonths1734250200000 implements MigrationInterface {
  name = "EarnMonths1734250200000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE member_earn_months (
        month date NOT NULL CHECK (extract(day FROM month) = 1),
        member_id uuid NOT NULL,
        partner_id uuid NOT NULL,
        PRIMARY KEY (month, member_id, partner_id)
      )`);
    await installFunction(queryRunner, PURCHASES_NOTE_EARN_MONTHS_AS_FIRST_INSTALLED);
    await queryRunner.query(
      `CREATE TRIGGER purchases_note_earn_months AFTER INSERT ON purchases REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION purchases_note_earn_months()`,
    );
    await queryRunner.query(
      `INSERT INTO member_earn_months (month, member_id, partner_id) SELECT DISTINCT ${EARN_MONTH_SQL("earned_at")}, member_id, partner_id FROM purchases ON CONFLICT DO NOTHING`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER purchases_note_earn_months ON purchases`);
    await queryRunner.query(`DROP FUNCTION purchases_note_earn_months()`);
    await queryRunner.query(`DROP TABLE member_earn_months`);
  }
}
