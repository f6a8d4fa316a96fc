import type { DataSource, EntityManager } from "typeorm";
import { eraseLateRequestIds, eraseRequestIdsSql } from "../../../../shared/src/audit/audit-table";
import { ERASED_TEXT_PATTERN, erasingTextSql } from "../../../../shared/src/member-data/erased-text";
import { notFound } from "../../../../shared/src/errors";
import { requireId } from "../../../../shared/src/validation";

/**
 * The member's erasure lock (one transaction-scoped advisory lock per member id): the erasure's step
 * takes it exclusively, a write that stores text the member's caller chose takes it shared. So such a
 * write either commits before the step (which then hashes its text) or sees the erasure and refuses:
 * it never stores readable text after the step ran. Parameter $1: the member id.
 */
export const ERASURE_LOCK_SQL = {
  exclusive: `SELECT pg_advisory_xact_lock(hashtextextended('erasure:' || $1, 0))`,
  shared: `SELECT pg_advisory_xact_lock_shared(hashtextextended('erasure:' || $1, 0))`,
} as const;

/**
 * Inside a transaction about to store caller-chosen text for the member: waits for an erasure step
 * under way, then refuses an erased member as unknown (NOT_FOUND, as the members service answers).
 * Two statements on purpose: the check's snapshot must be taken after the lock is granted.
 */
export async function refuseIfErased(manager: EntityManager, memberId: string): Promise<void> {
  await manager.query(ERASURE_LOCK_SQL.shared, [memberId]);
  const erased = await manager.query(`SELECT 1 FROM member_erasures WHERE member_id = $1`, [memberId]);
  if (erased.length) throw notFound(`No member with id "${memberId}"`);
}

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
    await manager.query(ERASURE_LOCK_SQL.exclusive, [id]);
    await manager.query(`INSERT INTO member_erasures (member_id) VALUES ($1) ON CONFLICT DO NOTHING`, [id]);
    await manager.query(
      `UPDATE redemptions r SET idempotency_key = ${erasingTextSql("r.idempotency_key")}, cancel_request_id = ${erasingTextSql("r.cancel_request_id")}
       FROM (SELECT id FROM redemptions WHERE member_id = $1 ORDER BY id FOR UPDATE) mine
       WHERE r.id = mine.id AND (r.idempotency_key !~ '${ERASED_TEXT_PATTERN}' OR r.cancel_request_id !~ '${ERASED_TEXT_PATTERN}')`,
      [id],
    );
    await manager.query(eraseRequestIdsSql(`$1::uuid`), [id]);
  });
  await eraseLateRequestIds(dataSource, id);
}
