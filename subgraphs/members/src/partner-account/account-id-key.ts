import type { EntityManager } from "typeorm";
import { type AuditCaller, auditWrite } from "../../../../shared/src/audit/record-audit";
import { isUniqueViolation } from "../../../../shared/src/database";
import { conflict } from "../../../../shared/src/errors";

/**
 * One partner account belongs to one member: partner_accounts' unique key on (partner, account id).
 * Writers upsert on the other key, (member, partner), and two of them inserting the same new link at
 * once can meet on this one first: Postgres then raises a unique violation that is no conflict, and
 * running the statement again settles it (it finds the committed row on its own key). Three tries
 * in all: the third covers an unlink deleting the row between the first two.
 */
export const ACCOUNT_ID_TRIES = 3;

/** Whether `error` is a violation of the (partner, account id) key: a race to retry, or on the last try a real conflict. */
export const isAccountIdViolation = (error: unknown) => isUniqueViolation(error, "partner_accounts_partner_external_key");

/** The CONFLICT for an account id held by another member at this partner. */
export const accountIdTaken = (externalId: string | null) => conflict(`Account id "${externalId}" at this partner is already linked to another member`, "externalId");

/**
 * The partner is the authority on its own account ids: a link its app or an admin makes (confirmed)
 * ends any other member's link to the same account id that the member typed themself (unconfirmed),
 * with an audit line for that member. Otherwise anyone could claim a stranger's card number and block
 * its real holder for good. Runs in the caller's transaction, before its insert.
 */
export async function replaceUnconfirmedClaims(manager: EntityManager, partnerId: string, externalId: string, memberId: string | null, caller: AuditCaller): Promise<void> {
  const [ended] = (await manager.query(
    `DELETE FROM partner_accounts WHERE partner_id = $1 AND external_id = $2 AND NOT confirmed AND member_id IS DISTINCT FROM $3 RETURNING member_id`,
    [partnerId, externalId, memberId],
  )) as [{ member_id: string }[], number];
  for (const row of ended) await auditWrite(manager, caller, { action: "UNLINK_PARTNER_ACCOUNT", memberId: row.member_id, partnerId });
}
