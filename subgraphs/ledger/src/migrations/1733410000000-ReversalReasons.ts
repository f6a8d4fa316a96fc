import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Reversals say what they reverse and why, in columns, instead of being told apart by the prefix of
 * their idempotency key: `reversal_reason` (PURCHASE_REFUND: `reversePurchase`; REDEMPTION_CANCELLED:
 * `cancelRedemption`) and `reverses_transaction_id` (the EARN or REDEEM transaction reversed). Both
 * are set on every REVERSAL and on nothing else (a CHECK). Recorded reversals are backfilled from
 * their keys: `reversal:<partnerId>:<reference>:…` reverses the purchase keyed
 * `purchase:<partnerId>:<reference>`, `cancellation:<redemptionId>` the capture keyed
 * `redemption:<redemptionId>`. The backfill writes only these new columns of append-only history
 * (the trigger is off for that statement, in the migration's transaction); no amount, posting or time changes.
 *
 * down() reverts exactly this: it drops the two columns (and their constraints and index).
 */
export class ReversalReasons1733410000000 implements MigrationInterface {
  name = "ReversalReasons1733410000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE transactions
        ADD COLUMN reversal_reason text CHECK (reversal_reason IN ('PURCHASE_REFUND', 'REDEMPTION_CANCELLED')),
        ADD COLUMN reverses_transaction_id uuid REFERENCES transactions (id)`);
    await queryRunner.query(`ALTER TABLE transactions DISABLE TRIGGER transactions_append_only`);
    await queryRunner.query(`
      UPDATE transactions r SET reversal_reason = 'PURCHASE_REFUND', reverses_transaction_id = e.id
      FROM transactions e
      WHERE r.kind = 'REVERSAL' AND r.idempotency_key LIKE 'reversal:%'
        AND e.idempotency_key = 'purchase:' || r.partner_id || ':' || r.reference`);
    await queryRunner.query(`
      UPDATE transactions r SET reversal_reason = 'REDEMPTION_CANCELLED', reverses_transaction_id = d.id
      FROM transactions d
      WHERE r.kind = 'REVERSAL' AND r.idempotency_key LIKE 'cancellation:%'
        AND d.idempotency_key = 'redemption:' || substr(r.idempotency_key, ${"cancellation:".length + 1})`);
    await queryRunner.query(`ALTER TABLE transactions ENABLE TRIGGER transactions_append_only`);
    // Fails, rolling the migration back, if any recorded reversal could not be matched.
    await queryRunner.query(`
      ALTER TABLE transactions ADD CONSTRAINT transactions_reversal_explicit
        CHECK ((kind = 'REVERSAL') = (reversal_reason IS NOT NULL) AND (reversal_reason IS NULL) = (reverses_transaction_id IS NULL))`);
    await queryRunner.query(`CREATE INDEX transactions_reverses_idx ON transactions (reverses_transaction_id) WHERE reverses_transaction_id IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX transactions_reverses_idx`);
    await queryRunner.query(`ALTER TABLE transactions DROP CONSTRAINT transactions_reversal_explicit`);
    await queryRunner.query(`ALTER TABLE transactions DROP COLUMN reverses_transaction_id, DROP COLUMN reversal_reason`);
  }
}
