import type { DataSource } from "typeorm";
import { eraseRequestIdsSql } from "../../../../shared/src/audit/audit-table";
import { ERASED_TEXT_PATTERN, erasingTextSql } from "../../../../shared/src/member-data/erased-text";
import { requireId } from "../../../../shared/src/validation";

/**
 * The catalog's step of an erasure (the members service runs the saga, after the ledger's): records
 * the erasure (`member_erasures`: the id and when), then replaces the text callers chose on the
 * member's rows by its digest (shared/src/member-data/erased-text.ts): the member app's redemption keys
 * (`redemptions.idempotency_key`: distinct keys stay distinct, so the member's unique index holds), the
 * request ids of their cancellations and of their audit lines (which the audit trail admits for an id in
 * `member_erasures` only: CallerTextErased1734960000002). The reward, points, status and voucher stay.
 * One transaction; a text already a digest is left as it is, so running it again changes nothing.
 * Redemptions of the id are locked in id order, as one redemption's own writes lock its row: an
 * erasure racing a cancellation's settlement waits for it, or it for the erasure.
 */
export async function eraseMemberText(dataSource: DataSource, memberId: string): Promise<void> {
  const id = requireId(memberId, "memberId");
  await dataSource.transaction(async (manager) => {
    await manager.query(`INSERT INTO member_erasures (member_id) VALUES ($1) ON CONFLICT DO NOTHING`, [id]);
    await manager.query(
      `UPDATE redemptions r SET idempotency_key = ${erasingTextSql("r.idempotency_key")}, cancel_request_id = ${erasingTextSql("r.cancel_request_id")}
       FROM (SELECT id FROM redemptions WHERE member_id = $1 ORDER BY id FOR UPDATE) mine
       WHERE r.id = mine.id AND (r.idempotency_key !~ '${ERASED_TEXT_PATTERN}' OR r.cancel_request_id !~ '${ERASED_TEXT_PATTERN}')`,
      [id],
    );
    await manager.query(eraseRequestIdsSql(`$1::uuid`), [id]);
  });
}
