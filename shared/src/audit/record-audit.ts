import type { EntityManager } from "typeorm";
import type { Identity } from "../auth/proof";

/**
 * The audit trail: one line per write made by an admin or a partner app (and per admin read of a
 * member's profile, data export and erasure), in the `audit_events` table of the service that made
 * the change. `insertAuditLinesSql` is the ONE statement that writes lines; `recordAudit` runs it with
 * the EntityManager of the transaction that makes the change (or a writer runs it inside the change's
 * own statement): the line commits with the change or not at all, so a write that failed leaves no
 * line saying it happened, and one that succeeded always has its line.
 */

/** What happened, as a verb on a thing (e.g. `ADJUST_POINTS`, `CREATE_REWARD`, `READ_MEMBER_PROFILE`). */
export type AuditAction = string;

/** Who: `admin:<subject>`, `partner:<partnerId>`, `member:<memberId>` or `service:<name>`. */
export type AuditActor = string;

export interface AuditLine {
  actor: AuditActor;
  action: AuditAction;
  /** The member the action is about, when there is one. */
  memberId?: string | null;
  /** The partner the action is about (or made by, for a partner app), when there is one. */
  partnerId?: string | null;
  /** The record the action made or changed (an entry, a reward, a key…), when it has an id. */
  targetId?: string | null;
  /** The request's id (`x-request-id`), to follow it through every service's logs. */
  requestId?: string | null;
  /** Only for a refused or failed attempt (outcome FAILED): its error code. Lines of changes made have none. */
  errorCode?: string | null;
}

/** The actor string of an identity. */
export function actorOf(identity: Identity): AuditActor {
  switch (identity.kind) {
    case "admin":
      return `admin:${identity.subject}`;
    case "partner":
      return `partner:${identity.partnerId}`;
    case "member":
      return `member:${identity.memberId}`;
    case "service":
      return `service:${identity.service}`;
    default:
      return "anonymous";
  }
}

/**
 * Whose writes are audited: admins and partner apps. A member acting on their own account is not (it
 * is their own data, and the ledger keeps its own history); a service calling another acts for a
 * request that was audited where it entered (same request id).
 */
export const isAuditedCaller = (identity: Identity) => identity.kind === "admin" || identity.kind === "partner";

/** Writes one line, inside the caller's transaction (`manager` must be that transaction's). */
export async function recordAudit(manager: EntityManager, line: AuditLine): Promise<void> {
  await recordAudits(manager, [line]);
}

/**
 * The statement that writes audit lines, from `lines`: a FROM item named `l` with the columns actor,
 * action, member_id, partner_id, target_id, request_id and error_code, a row per line. recordAudits
 * fills it from arrays; a writer whose change is one statement may fill it from that statement's own
 * rows (the ledger's purchases), so the change and its lines still commit together, in one round trip.
 */
export const insertAuditLinesSql = (lines: string) =>
  `INSERT INTO audit_events (actor, action, member_id, partner_id, target_id, request_id, outcome, error_code)
     SELECT l.actor, l.action, l.member_id, l.partner_id, l.target_id, l.request_id, CASE WHEN l.error_code IS NULL THEN 'SUCCEEDED' ELSE 'FAILED' END, l.error_code
     FROM ${lines}`;

/** An audit line's columns as query parameters: the array auditLineArrays makes for each, and its type. */
const LINE_PARAMETERS: readonly [column: string, type: string, value: (line: AuditLine) => string | null | undefined][] = [
  ["actor", "text", (l) => l.actor],
  ["action", "text", (l) => l.action],
  ["member_id", "uuid", (l) => l.memberId],
  ["partner_id", "uuid", (l) => l.partnerId],
  ["target_id", "text", (l) => l.targetId],
  ["request_id", "text", (l) => l.requestId],
  ["error_code", "text", (l) => l.errorCode],
];

/** Lines as query parameters, an array per column; a null line is a row of nulls (its position kept for `slot`). */
export const auditLineArrays = (lines: readonly (AuditLine | null)[]): (string | null)[][] =>
  LINE_PARAMETERS.map(([, , value]) => lines.map((line) => (line ? (value(line) ?? null) : null)));

/** The arrays of auditLineArrays, passed from parameter $`first` on, as the FROM item `alias`: a row per line, `slot` its position from 1. */
export const auditLinesFromParametersSql = (first: number, alias: string) =>
  `unnest(${LINE_PARAMETERS.map(([, type], i) => `$${first + i}::${type}[]`).join(", ")})
     WITH ORDINALITY AS ${alias}(${LINE_PARAMETERS.map(([column]) => column).join(", ")}, slot)`;

/** Writes several lines in one statement (e.g. a read of several members' profiles), inside the caller's transaction. */
export async function recordAudits(manager: EntityManager, lines: readonly AuditLine[]): Promise<void> {
  if (!lines.length) return;
  await manager.query(insertAuditLinesSql(auditLinesFromParametersSql(1, "l")), auditLineArrays(lines));
}

/**
 * The usual case in one call: records `line` for an audited caller (admin, partner app), nothing for
 * anyone else. Call it inside the transaction that makes the change.
 */
export async function auditWrite(
  manager: EntityManager,
  who: { identity: Identity; requestId?: string | null },
  line: Omit<AuditLine, "actor" | "requestId">,
): Promise<void> {
  if (!isAuditedCaller(who.identity)) return;
  await recordAudit(manager, { ...line, actor: actorOf(who.identity), requestId: who.requestId ?? null });
}

/** Who is acting, as every audited service method receives it. */
export interface AuditCaller {
  identity: Identity;
  requestId?: string | null;
}
