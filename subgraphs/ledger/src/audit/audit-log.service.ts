import type { DataSource } from "typeorm";
import { type AuditCursor, type AuditFilter, type AuditRow, decodeAuditCursor, encodeAuditCursor, mergeAuditPages, readAuditRows } from "../../../../shared/src/audit/audit-page";
import type { SubgraphName } from "../../../../shared/src/config";
import { SubgraphClient } from "../../../../shared/src/subgraph-client";
import { requireId, requireText } from "../../../../shared/src/validation";
import { AuditEvent, type AuditEventConnection } from "./audit-log.types";

const OTHER_SERVICES: SubgraphName[] = ["members", "partners", "catalog"];

/**
 * `auditLog`: the ledger reads its own lines and asks each other service for its lines past the same
 * cursor (signed service calls, at once), then merges them in the one total order of
 * shared/src/audit/audit-page.ts. A service that does not answer makes the whole page
 * UPSTREAM_UNAVAILABLE: a page with a service's lines silently missing would mislead an auditor.
 */
export class AuditLogService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly requestId?: string,
  ) {}

  async page(args: { first: number; after: string | null; memberId: string | null; partnerId: string | null; actor: string | null }): Promise<AuditEventConnection> {
    const filter: AuditFilter = {
      memberId: args.memberId == null ? null : requireId(args.memberId, "memberId"),
      partnerId: args.partnerId == null ? null : requireId(args.partnerId, "partnerId"),
      actor: args.actor == null ? null : requireText(args.actor, "actor", { max: 200 }),
    };
    const after = args.after == null ? null : decodeAuditCursor(args.after);
    // One more than asked from each: tells whether another page follows.
    const limit = args.first + 1;
    const pages = await Promise.all([
      readAuditRows(this.dataSource.manager, "ledger", filter, after, limit),
      ...OTHER_SERVICES.map((service) => this.remote(service, filter, after, limit)),
    ]);
    const { rows, hasNextPage } = mergeAuditPages(pages, args.first);
    return {
      edges: rows.map((row) => ({ cursor: encodeAuditCursor(row), node: toAuditEvent(row) })),
      pageInfo: { hasNextPage, endCursor: rows.length ? encodeAuditCursor(rows[rows.length - 1]) : null },
    };
  }

  private async remote(service: SubgraphName, filter: AuditFilter, after: AuditCursor | null, limit: number): Promise<AuditRow[]> {
    const field = `${service}AuditEvents`;
    const data = await new SubgraphClient(service, this.requestId).request<Record<string, string>>(
      `query($first: Int!, $after: String, $memberId: ID, $partnerId: ID, $actor: String) { ${field}(first: $first, after: $after, memberId: $memberId, partnerId: $partnerId, actor: $actor) }`,
      { first: limit, after: after ? encodeAuditCursor(after) : null, memberId: filter.memberId, partnerId: filter.partnerId, actor: filter.actor },
    );
    return JSON.parse(data[field]) as AuditRow[];
  }
}

const toAuditEvent = (row: AuditRow) =>
  Object.assign(new AuditEvent(), {
    id: row.id,
    service: row.service,
    occurredAt: new Date(row.at),
    actor: row.actor,
    action: row.action,
    memberId: row.memberId,
    partnerId: row.partnerId,
    targetId: row.targetId,
    requestId: row.requestId,
    outcome: row.outcome,
    errorCode: row.errorCode,
  });
