import type { MigrationInterface, QueryRunner } from "typeorm";
import { CLEARING_VALUE_POSTINGS_BEFORE_ADJUSTMENTS_TAKE_NOTHING_BACK, CLEARING_VALUE_POSTINGS_BEFORE_FORFEITS, replaceFunctionSql } from "../sql";

/**
 * An erased member's forfeit is breakage (rules/erasure.ts, rules/clearing.ts). It was one ADJUSTMENT
 * for all the member's lots, which the valuation could not price (lots of several prices) and left in
 * the partner's OTHER line, counted and worth nothing, so `Partner.liability` and `coalitionLiability`
 * never dropped by it. The forfeit is now one ADJUSTMENT per lot naming the lot (`expired_lot_id`), and
 * the valuation puts such a movement in the BREAKAGE line at the lot's price and the issuer's breakage
 * share, as an expiry. Nothing already written changes: the erasures before this one have no lot on
 * their transaction and stay OTHER, as they were valued (clearing:verify classifies them the same way).
 *
 * `member_erasures.transaction_id` named the one ADJUSTMENT; a new erasure leaves it empty (its
 * forfeits have keys `erasure:<member>:lot:<lot>`), so its check no longer ties it to the points.
 *
 * down() reverts exactly this: the valuation ReversalsAsCharged1734330000000 installed, and
 * MemberErasures1734210000000's check (which fails, and the revert with it, once an erasure forfeited
 * points by lot: those rows are not rewritten).
 */
export class ErasureForfeitsAsBreakage1734830000000 implements MigrationInterface {
  name = "ErasureForfeitsAsBreakage1734830000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    // A trigger function is replaced in place: its trigger keeps pointing at it.
    await queryRunner.query(replaceFunctionSql(CLEARING_VALUE_POSTINGS_BEFORE_ADJUSTMENTS_TAKE_NOTHING_BACK));
    await queryRunner.query(`ALTER TABLE member_erasures DROP CONSTRAINT member_erasures_check`);
    await queryRunner.query(`ALTER TABLE member_erasures ADD CONSTRAINT member_erasures_named_forfeit CHECK (transaction_id IS NULL OR forfeited_points > 0)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE member_erasures DROP CONSTRAINT member_erasures_named_forfeit`);
    await queryRunner.query(`ALTER TABLE member_erasures ADD CONSTRAINT member_erasures_check CHECK ((transaction_id IS NULL) = (forfeited_points = 0))`);
    await queryRunner.query(replaceFunctionSql(CLEARING_VALUE_POSTINGS_BEFORE_FORFEITS));
  }
}
