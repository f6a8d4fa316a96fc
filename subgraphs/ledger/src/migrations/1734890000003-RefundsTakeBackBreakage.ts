import type { MigrationInterface, QueryRunner } from "typeorm";
import { CLEARING_VALUE_POSTINGS, CLEARING_VALUE_POSTINGS_BEFORE_REFUNDED_BREAKAGE, replaceFunctionSql } from "../sql";

/**
 * A refund after the purchase's points expired credited the issuer twice (an outside review): the
 * expiry credited it its breakage share of those points, and the refund their full price, while the
 * member, who had already lost them, was charged them again (from other points, or as a debt). A
 * refund now takes the points its purchase's (or bonus's) lot lost to expiry back from the issuer's
 * breakage account first (rules/refunds.ts `fromExpired`; journal/take-back.ts), and the valuation
 * prices that posting at what its expiry was credited (REFUNDED_BREAKAGE, rules/clearing.ts): the
 * breakage line loses what the expiry gave. Nothing already written changes: refunds before this one
 * keep what they were valued at (the ledger's history is append-only).
 *
 * down() reverts exactly this: the valuation PrepaidAdjustmentsTakeNothingBack1734890000000 installed.
 */
export class RefundsTakeBackBreakage1734890000003 implements MigrationInterface {
  name = "RefundsTakeBackBreakage1734890000003";

  async up(queryRunner: QueryRunner): Promise<void> {
    // A trigger function is replaced in place: its trigger keeps pointing at it.
    await queryRunner.query(replaceFunctionSql(CLEARING_VALUE_POSTINGS));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(replaceFunctionSql(CLEARING_VALUE_POSTINGS_BEFORE_REFUNDED_BREAKAGE));
  }
}
