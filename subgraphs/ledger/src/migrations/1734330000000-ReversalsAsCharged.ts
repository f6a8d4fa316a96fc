import type { MigrationInterface, QueryRunner } from "typeorm";
import { CLEARING_VALUE_POSTINGS_AS_FIRST_INSTALLED, CLEARING_VALUE_POSTINGS_BEFORE_FORFEITS, replaceFunctionSql } from "../sql";

/** ReversalReasons1733410000000's rule: a reason and a reversed transaction on every REVERSAL and on nothing else. */
const ONLY_REVERSALS = `CHECK ((kind = 'REVERSAL') = (reversal_reason IS NOT NULL) AND (reversal_reason IS NULL) = (reverses_transaction_id IS NULL))`;
/** And now on a refund's reversal of a bonus: a BONUS that names the bonus it reverses, reason PURCHASE_REFUND. */
const REVERSALS_AND_BONUS_REVERSALS = `CHECK ((reversal_reason IS NULL) = (reverses_transaction_id IS NULL)
  AND CASE kind WHEN 'REVERSAL' THEN reversal_reason IS NOT NULL
                WHEN 'BONUS' THEN reversal_reason IS NULL OR reversal_reason = 'PURCHASE_REFUND'
                ELSE reversal_reason IS NULL END)`;

/**
 * Reversals are valued at what the movement they reverse was charged (from the outside audit of the clearing house):
 * - A refund's share of a purchase's campaign bonus is a BONUS transaction that names the bonus it
 *   reverses (reason PURCHASE_REFUND, campaign/bonus-reversal.ts), and the valuation credits its funder
 *   at the bonus's own price (its lot's: rules/clearing.ts, STATEMENT_LINES). Before, it was a plain
 *   BONUS valued at the issue price in force at the refund: after a price rise from 2,003 to 3,000,
 *   half of a 200-point bonus was credited 300 instead of 200.3 (the funder's net 501 instead of 600).
 * - A reversal gives a PREPAID issuer's allowance back only if what it reverses drew on it (posted
 *   while the issuer was PREPAID): a partner that switched to PREPAID got 1,000 points of allowance
 *   it never bought by refunding a purchase from its POSTPAID days.
 * Rows already written keep their valuation (the running totals are history); clearing:verify reads
 * each movement's stored price, so it stays clean.
 *
 * down() reverts both: the first valuation and ReversalReasons1733410000000's check (which fails, and
 * the revert with it, once a bonus reversal names its bonus: those rows are not rewritten).
 */
export class ReversalsAsCharged1734330000000 implements MigrationInterface {
  name = "ReversalsAsCharged1734330000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE transactions DROP CONSTRAINT transactions_reversal_explicit`);
    await queryRunner.query(`ALTER TABLE transactions ADD CONSTRAINT transactions_reversal_explicit ${REVERSALS_AND_BONUS_REVERSALS}`);
    await queryRunner.query(replaceFunctionSql(CLEARING_VALUE_POSTINGS_BEFORE_FORFEITS));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(replaceFunctionSql(CLEARING_VALUE_POSTINGS_AS_FIRST_INSTALLED));
    await queryRunner.query(`ALTER TABLE transactions DROP CONSTRAINT transactions_reversal_explicit`);
    await queryRunner.query(`ALTER TABLE transactions ADD CONSTRAINT transactions_reversal_explicit ${ONLY_REVERSALS}`);
  }
}
