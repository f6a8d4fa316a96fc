import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Transfer idempotency keys belong to the sending member. They were global (`transfer:<key>` under the
 * one unique index of `transactions.idempotency_key`), so a member reusing a key someone else had used
 * got IDEMPOTENCY_CONFLICT: it told them of another member's activity and let anyone block predictable
 * keys. Now the key is `transfer:<fromMemberId>:<key>`, like every other ledger key, which already names
 * its owner (`purchase:<partnerId>:<reference>`, `reversal:<partnerId>:<reference>:<refund>`,
 * `redemption:<redemptionId>`, `cancellation:<redemptionId>`, `expiry:lot:<lotId>`). The same unique
 * index keeps "one transaction per key" inside each owner's scope, concurrent copies included.
 *
 * Recorded transfers move to the scoped form (the sender is their TRANSFER_OUT posting's member), so a
 * retry of one made before this migration is still a replay, never a second transfer. That rewrites
 * a key column of append-only history: the one trigger is off only for this statement, in the
 * migration's transaction; no amount, posting or time changes.
 */
export class ScopedTransferKeys1733320000000 implements MigrationInterface {
  name = "ScopedTransferKeys1733320000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await this.rewrite(
      queryRunner,
      `UPDATE transactions t SET idempotency_key = 'transfer:' || p.member_id || ':' || substr(t.idempotency_key, ${"transfer:".length + 1})
       FROM postings p
       WHERE t.kind = 'TRANSFER' AND p.transaction_id = t.id AND p.entry_kind = 'TRANSFER_OUT'`,
    );
  }

  /** Back to global keys: refused when two members now use the same key, which global keys cannot hold. */
  async down(queryRunner: QueryRunner): Promise<void> {
    const raw = `substr(idempotency_key, ${"transfer:".length + 36 + 2})`;
    const [shared] = await queryRunner.query(`SELECT ${raw} AS key FROM transactions WHERE kind = 'TRANSFER' GROUP BY 1 HAVING count(*) > 1 LIMIT 1`);
    if (shared) throw new Error(`Cannot revert ScopedTransferKeys: several members used the transfer key "${shared.key}"`);
    await this.rewrite(queryRunner, `UPDATE transactions SET idempotency_key = 'transfer:' || ${raw} WHERE kind = 'TRANSFER'`);
  }

  private async rewrite(queryRunner: QueryRunner, update: string): Promise<void> {
    await queryRunner.query(`ALTER TABLE transactions DISABLE TRIGGER transactions_append_only`);
    await queryRunner.query(update);
    await queryRunner.query(`ALTER TABLE transactions ENABLE TRIGGER transactions_append_only`);
  }
}
