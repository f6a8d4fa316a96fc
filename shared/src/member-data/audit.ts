import type { Identity } from "../auth/proof";
import { type AuditLine, actorOf } from "../audit/record-audit";

export type MemberDataAction = "EXPORT_MEMBER_DATA" | "ERASE_MEMBER";

/**
 * The audit line of a member-data action (export, erasure). Unlike other writes, these are recorded
 * whoever asks, the member themself included (the issue: every export and erasure leaves a trace).
 * The line holds ids only, so an erasure has nothing personal to remove from it.
 */
export const memberDataAuditLine = (action: MemberDataAction, identity: Identity, memberId: string, requestId: string | null | undefined): AuditLine => ({
  actor: actorOf(identity),
  action,
  memberId,
  requestId,
});
