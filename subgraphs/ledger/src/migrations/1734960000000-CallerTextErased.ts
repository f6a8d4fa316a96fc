import type { MigrationInterface, QueryRunner } from "typeorm";
import { admitErasedRequestIds, eraseRequestIdsSql, refuseErasedRequestIds } from "../../../../shared/src/audit/audit-table";
import { erasedTextSql } from "../../../../shared/src/member-data/erased-text";
import { eraseCallerTextSql, erasedKeySql } from "../member-data/erased-caller-text";
import { isCallerKeySql, isCallerReferenceSql } from "../rules/erasure";

/**
 * Text a caller chose stayed readable after a member's erasure: a partner's purchase reference and
 * refund id (`transactions.reference`, and inside `idempotency_key`), a member app's transfer key, an
 * admin's adjustment key, request ids on the member's audit lines. A partner that put an email address
 * in a reference kept it in the ledger for good. The append-only trigger of `transactions` now admits
 * one change: on a transaction tied to an erased member (member-data/erased-caller-text.ts: posted to
 * their account, a bonus their purchase paid, or a reversal of either), a caller's key (rules/erasure.ts
 * CALLER_KEY_SCOPES) replaced by its digest (erasedKeySql) and a caller's reference (isCallerReferenceSql:
 * not a redemption's, which names it) by its digest (shared/src/member-data/erased-text.ts), every other
 * column unchanged. The audit trail admits an
 * erased member's request ids replaced by their digests (shared/src/audit/audit-table.ts). The erasure's
 * ledger step makes both changes (member-data/erasure.service.ts); those of members erased before this
 * migration are made here.
 *
 * down() reverts both triggers (the texts replaced stay replaced).
 */
export class CallerTextErased1734960000000 implements MigrationInterface {
  name = "CallerTextErased1734960000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    const tiedTo = (transaction: string) => `(
      EXISTS (SELECT 1 FROM postings p JOIN member_erasures e ON e.member_id = p.member_id WHERE p.transaction_id = ${transaction})
      OR EXISTS (SELECT 1 FROM campaign_bonuses b JOIN purchases pu ON pu.transaction_id = b.earn_transaction_id
                 JOIN member_erasures e ON e.member_id = pu.member_id WHERE b.transaction_id = ${transaction}))`;
    await queryRunner.query(`
      CREATE FUNCTION transactions_append_only_but_erased_text() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        unchanged transactions;
      BEGIN
        IF TG_OP = 'UPDATE' THEN
          unchanged := NEW;
          unchanged.idempotency_key := OLD.idempotency_key;
          unchanged.reference := OLD.reference;
          IF unchanged IS NOT DISTINCT FROM OLD
             AND (NEW.idempotency_key = OLD.idempotency_key
                  OR (${isCallerKeySql("OLD.idempotency_key")} AND NEW.idempotency_key = ${erasedKeySql("OLD.idempotency_key")}))
             AND (NEW.reference IS NOT DISTINCT FROM OLD.reference OR (${isCallerReferenceSql("OLD")} AND NEW.reference = ${erasedTextSql("OLD.reference")}))
             AND (${tiedTo("OLD.id")} OR (OLD.reverses_transaction_id IS NOT NULL AND ${tiedTo("OLD.reverses_transaction_id")})) THEN
            RETURN NEW;
          END IF;
        END IF;
        RAISE EXCEPTION 'ledger history is append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME;
      END $$`);
    await queryRunner.query(`DROP TRIGGER transactions_append_only ON transactions`);
    await queryRunner.query(
      `CREATE TRIGGER transactions_append_only BEFORE UPDATE OR DELETE ON transactions FOR EACH ROW EXECUTE FUNCTION transactions_append_only_but_erased_text()`,
    );
    await admitErasedRequestIds(queryRunner, "member_erasures");
    await queryRunner.query(eraseCallerTextSql(`SELECT member_id FROM member_erasures`));
    await queryRunner.query(eraseRequestIdsSql(`ANY (SELECT member_id FROM member_erasures)`));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await refuseErasedRequestIds(queryRunner);
    await queryRunner.query(`DROP TRIGGER transactions_append_only ON transactions`);
    await queryRunner.query(`CREATE TRIGGER transactions_append_only BEFORE UPDATE OR DELETE ON transactions FOR EACH ROW EXECUTE FUNCTION ledger_history_is_append_only()`);
    await queryRunner.query(`DROP FUNCTION transactions_append_only_but_erased_text()`);
  }
}
