import type { Identity } from "../auth/proof";
import type { Logger } from "../logger";

export type MemberDataAction = "DATA_EXPORT" | "ERASURE";

/**
 * The one call site per member-data action (export, erasure) for the audit trail. Today it only logs
 * (no email, no name: the member id, the action, who asked); the audit-log API will record it here.
 */
export function auditMemberDataAccess(log: Logger, action: MemberDataAction, identity: Identity, memberId: string, outcome: "OK" | "FAILED"): void {
  const actor = identity.kind === "member" ? `member:${identity.memberId}` : identity.kind === "admin" ? `admin:${identity.subject}` : identity.kind === "service" ? `service:${identity.service}` : identity.kind;
  log.info("member data access", { action, memberId, actor, outcome });
}
