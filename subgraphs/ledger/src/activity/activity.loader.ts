import DataLoader from "dataloader";
import { memberSeenPartnerSql } from "../sql/lot-issuer";
import type { EntityManager } from "typeorm";
import { badInput } from "../../../../shared/src/errors";
import { isUuid } from "../../../../shared/src/validation";
import { type EntryRow, toLedgerEntry } from "../entry/ledger-entry.loader";
import { encodeCursor } from "./activity.cursor";
import { PageInfo } from "../../../../shared/src/page-info";
import { LedgerEntryConnection, LedgerEntryEdge } from "./activity.types";

export interface ActivityKey {
  memberId: string;
  /** Page size, already validated (1 to 100). */
  first: number;
  /** The posting id of the decoded `after` cursor; null for the first page. */
  after: string | null;
}

interface ActivityRow extends EntryRow {
  /** 1-based position of the key in the batch. */
  k: string;
  /** False when the key's `after` names no posting of this member (a cursor we never handed out, or another member's). */
  cursor_found: boolean;
  seq: string | null;
}

/**
 * Every member's page in one statement: one row per key from unnest, the posting the cursor names
 * (its position), then up to first + 1 of the member's postings strictly after it along
 * postings_member_activity_idx (occurred_at DESC, seq DESC). The extra row only tells hasNextPage.
 * The position is compared in SQL (JS Dates would drop Postgres's microseconds), as one row
 * comparison the index can seek to; without a cursor it starts past the newest possible entry.
 * An unknown cursor also starts there, but its key is answered with an error, never that page; so
 * does another member's posting (a cursor is easy to write by hand: it would tell that posting's time).
 */
const ACTIVITY_SQL = `
  SELECT k.k, (k.after_id IS NULL OR c.seq IS NOT NULL) AS cursor_found,
         e.id, e.seq, e.member_id, e.partner_id, e.entry_kind, e.amount, e.reference, e.occurred_at
  FROM unnest($1::uuid[], $2::uuid[], $3::int[]) WITH ORDINALITY AS k(member_id, after_id, lim, k)
  LEFT JOIN postings c ON c.id = k.after_id AND c.member_id = k.member_id
  LEFT JOIN LATERAL (
    SELECT p.id, p.seq, p.member_id, ${memberSeenPartnerSql("t", "p.member_id")} AS partner_id, p.entry_kind, p.amount, t.reference, p.occurred_at
    FROM postings p JOIN transactions t ON t.id = p.transaction_id
    WHERE p.member_id = k.member_id
      AND (p.occurred_at, p.seq) < (coalesce(c.occurred_at, 'infinity'), coalesce(c.seq, 9223372036854775807))
    ORDER BY p.occurred_at DESC, p.seq DESC
    LIMIT k.lim
  ) e ON true
  ORDER BY k.k, e.occurred_at DESC, e.seq DESC`;

const emptyPage = (): LedgerEntryConnection =>
  Object.assign(new LedgerEntryConnection(), { edges: [], pageInfo: Object.assign(new PageInfo(), { hasNextPage: false, endCursor: null }) });

function toPage(rows: ActivityRow[], first: number): LedgerEntryConnection {
  const entries = rows.filter((row) => row.seq !== null);
  const edges = entries.slice(0, first).map((row) => Object.assign(new LedgerEntryEdge(), { cursor: encodeCursor(row.id), node: toLedgerEntry(row) }));
  const pageInfo = Object.assign(new PageInfo(), {
    hasNextPage: entries.length > first,
    endCursor: edges.length ? edges[edges.length - 1].cursor : null,
  });
  return Object.assign(new LedgerEntryConnection(), { edges, pageInfo });
}

/** Member.activity pages, keyed by member, page size and cursor: one SQL statement per batch, whatever its size. */
export function createActivityLoader(manager: EntityManager) {
  return new DataLoader<ActivityKey, LedgerEntryConnection, string>(
    async (keys) => {
      // Ids the ledger cannot hold (not UUIDs) have no entries: they stay out of the SQL.
      const asked = keys.map((key, index) => ({ key, index })).filter(({ key }) => isUuid(key.memberId));
      const rows: ActivityRow[] = asked.length
        ? await manager.query(ACTIVITY_SQL, [
            asked.map(({ key }) => key.memberId.toLowerCase()),
            asked.map(({ key }) => key.after),
            asked.map(({ key }) => key.first + 1),
          ])
        : [];
      const byKey = new Map<number, ActivityRow[]>();
      for (const row of rows) {
        const index = asked[Number(row.k) - 1].index;
        const group = byKey.get(index);
        if (group) group.push(row);
        else byKey.set(index, [row]);
      }
      return keys.map((key, index) => {
        const found = byKey.get(index);
        if (!found) return key.after === null ? emptyPage() : unknownCursor();
        if (!found[0].cursor_found) return unknownCursor();
        return toPage(found, key.first);
      });
    },
    { cacheKeyFn: (key) => `${key.memberId.toLowerCase()}:${key.first}:${key.after ?? ""}` },
  );
}

const unknownCursor = () => badInput("after names no ledger entry: use a cursor from a previous page (pageInfo.endCursor or an edge's cursor)", "after");
