import type { MigrationInterface, QueryRunner } from "typeorm";
import { replaceFunctionSql } from "../sql";
import { EARN_MONTHS_OF_PURCHASES, EARN_MONTH_SQL, PURCHASES_NOTE_EARN_MONTHS, PURCHASES_NOTE_EARN_MONTHS_AS_FIRST_INSTALLED } from "../sql/earn-months";

/**
 * Partner insights count a purchase in the month the ledger recorded it in, not the month it was made
 * (sql/earn-months.ts `INSIGHT_MONTH_SQL` says why: an outside review found that a late one-cent
 * receipt moved a finished month's figures, and told a partner app whether one member had bought
 * anywhere in the coalition). The trigger is replaced and `member_earn_months` refilled from the purchases.
 *
 * down() reverts exactly this: EarnMonths1734250200000's trigger function, and the rows by the month each purchase was made.
 */
export class InsightMonthsAsPosted1734820000000 implements MigrationInterface {
  name = "InsightMonthsAsPosted1734820000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(replaceFunctionSql(PURCHASES_NOTE_EARN_MONTHS));
    await queryRunner.query(`DELETE FROM member_earn_months`);
    await queryRunner.query(`INSERT INTO member_earn_months (month, member_id, partner_id) ${EARN_MONTHS_OF_PURCHASES} ORDER BY 1, 2, 3`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(replaceFunctionSql(PURCHASES_NOTE_EARN_MONTHS_AS_FIRST_INSTALLED));
    await queryRunner.query(`DELETE FROM member_earn_months`);
    await queryRunner.query(
      `INSERT INTO member_earn_months (month, member_id, partner_id) SELECT DISTINCT ${EARN_MONTH_SQL("earned_at")}, member_id, partner_id FROM purchases ORDER BY 1, 2, 3`,
    );
  }
}
