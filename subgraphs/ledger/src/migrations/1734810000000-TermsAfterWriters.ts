import type { MigrationInterface, QueryRunner } from "typeorm";
import { CLEARING_PRICE_LOT, CLEARING_PRICE_LOT_AS_FIRST_INSTALLED, RECORD_PURCHASES_BEFORE_DEBTS_IN_TIME_ORDER, RECORD_PURCHASES_BEFORE_TERMS_AFTER_WRITERS, installFunction, replaceFunctionSql } from "../sql";

/**
 * New terms and the movements racing them (an outside review): `setPartnerTerms` fixed its
 * `effectiveFrom` ("now") before it committed, so a movement posted in between was priced at the old
 * terms while they said the new ones were in force, and `clearing:verify` failed for good. Now the
 * terms take the clearing lock alone before reading their clock (clearing/terms.service.ts) and every
 * writer reads a partner's terms under it, shared: `record_purchases` right after the members' locks,
 * `clearing_price_lot` before it prices a lot (the valuation trigger already took it first).
 * Nothing already written changes.
 *
 * down() reverts exactly this: the definitions IssuePriceInPlace1734700000000 and ClearingHouse1734000000000 installed.
 */
export class TermsAfterWriters1734810000000 implements MigrationInterface {
  name = "TermsAfterWriters1734810000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await installFunction(queryRunner, RECORD_PURCHASES_BEFORE_DEBTS_IN_TIME_ORDER);
    // A trigger function is replaced in place: its trigger keeps pointing at it.
    await queryRunner.query(replaceFunctionSql(CLEARING_PRICE_LOT));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(replaceFunctionSql(CLEARING_PRICE_LOT_AS_FIRST_INSTALLED));
    await installFunction(queryRunner, RECORD_PURCHASES_BEFORE_TERMS_AFTER_WRITERS);
  }
}
