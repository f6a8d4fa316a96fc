import type { EntityManager } from "typeorm";
import { badInput } from "../errors";

/**
 * Reading the audit trail: every service serves its own lines newest first from a cursor, and the
 * service that owns `auditLog` merges the services' pages into one. The order is total and the same
 * everywhere, (time, service, id) descending, so a cursor (the last line's three values) means the
 * same in every service and no line is skipped or shown twice between pages. Times keep Postgres's
 * microseconds as text (`2026-11-30T14:00:00.123456Z`), which sorts like the time itself.
 */

export interface AuditFilter {
  memberId?: string | null;
  partnerId?: string | null;
  actor?: string | null;
}

export interface AuditCursor {
  at: string;
  service: string;
  id: string;
}

export interface AuditRow extends AuditCursor {
  actor: string;
  action: string;
  memberId: string | null;
  partnerId: string | null;
  targetId: string | null;
  requestId: string | null;
  outcome: string;
  errorCode: string | null;
}

const AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SERVICE = /^[a-z]{1,20}$/;

export const encodeAuditCursor = (row: AuditCursor) => Buffer.from(JSON.stringify([row.at, row.service, row.id])).toString("base64url");

/** The cursor in `after`; anything that is not one of ours is BAD_USER_INPUT on `after`. */
export function decodeAuditCursor(after: string): AuditCursor {
  try {
    const [at, service, id] = JSON.parse(Buffer.from(after, "base64url").toString("utf8"));
    if (AT.test(at) && SERVICE.test(service) && UUID.test(id)) return { at, service, id };
  } catch {
    // falls through to the error below
  }
  throw badInput("after must be a cursor from a previous auditLog page", "after");
}

/** Newest first: (time, service, id) descending. */
export function compareAuditRows(a: AuditCursor, b: AuditCursor): number {
  if (a.at !== b.at) return a.at < b.at ? 1 : -1;
  if (a.service !== b.service) return a.service < b.service ? 1 : -1;
  return a.id === b.id ? 0 : a.id < b.id ? 1 : -1;
}

/** The first `first` lines of the services' pages (each already newest first, past the same cursor), and whether more follow. */
export function mergeAuditPages(pages: AuditRow[][], first: number): { rows: AuditRow[]; hasNextPage: boolean } {
  const all = pages.flat().sort(compareAuditRows);
  return { rows: all.slice(0, first), hasNextPage: all.length > first };
}

/** One service's lines past `after` (older), newest first, at most `limit`. */
export async function readAuditRows(manager: EntityManager, service: string, filter: AuditFilter, after: AuditCursor | null, limit: number): Promise<AuditRow[]> {
  const rows: Omit<AuditRow, "service">[] = await manager.query(
    `SELECT to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at, id::text AS id, actor, action,
            member_id::text AS "memberId", partner_id::text AS "partnerId", target_id AS "targetId", request_id AS "requestId", outcome, error_code AS "errorCode"
     FROM audit_events
     WHERE ($1::uuid IS NULL OR member_id = $1) AND ($2::uuid IS NULL OR partner_id = $2) AND ($3::text IS NULL OR actor = $3)
       AND ($4::timestamptz IS NULL OR occurred_at < $4 OR (occurred_at = $4 AND ($5::text < $6::text OR ($5::text = $6::text AND id < $7::uuid))))
     ORDER BY occurred_at DESC, id DESC LIMIT $8`,
    [filter.memberId ?? null, filter.partnerId ?? null, filter.actor ?? null, after?.at ?? null, service, after?.service ?? null, after?.id ?? null, limit],
  );
  return rows.map((row) => ({ ...row, service }));
}
