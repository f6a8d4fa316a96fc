import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The settlement currency the ledger's amounts are in, recorded in its database (one row): prices,
 * statements and closed periods are minor units with no currency of their own, so a ledger started with
 * another SETTLEMENT_CURRENCY mixed two currencies' amounts silently. The row is written at start, not
 * here (a migration does not read settings): a fresh database, or one upgraded, takes SETTLEMENT_CURRENCY
 * at its first start, and a later start with another is refused while anything is priced
 * (clearing/settlement-currency.ts).
 *
 * down() reverts exactly this: the table dropped.
 */
export class SettlementCurrency1734890000001 implements MigrationInterface {
  name = "SettlementCurrency1734890000001";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE settlement_currency (
      one boolean PRIMARY KEY DEFAULT true CHECK (one),
      currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
      recorded_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE settlement_currency`);
  }
}
