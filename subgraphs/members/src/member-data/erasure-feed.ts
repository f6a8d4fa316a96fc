import type { DataSource } from "typeorm";
import { badInput } from "../../../../shared/src/errors";

/** The most erased member ids one page of the feed carries. */
export const ERASURE_FEED_PAGE = 10_000;

/** Where a reader of the feed stands: every erasure at or before this key (transaction id, member id) has been read. */
export interface ErasureFeedCursor {
  xid: string;
  memberId: string;
}

export interface ErasureFeedPage {
  memberIds: string[];
  /** Pass back as `after` to read on. */
  next: string;
  /** False when the page is full: read on at once, the reader is not yet up to date. */
  complete: boolean;
}

const START: ErasureFeedCursor = { xid: "0", memberId: "00000000-0000-0000-0000-000000000000" };
const XID = /^\d{1,20}$/;
// Any uuid (the cursor's own start is the nil uuid, which is no member id).
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const encodeErasureCursor = ({ xid, memberId }: ErasureFeedCursor) => `${xid}:${memberId}`;

/** The cursor of the feed's `after` (absent: from the beginning). Anything not made by the feed is BAD_USER_INPUT. */
export function decodeErasureCursor(after: string | null | undefined): ErasureFeedCursor {
  if (after == null || after === "") return START;
  const [xid, memberId, ...rest] = after.split(":");
  if (rest.length || !XID.test(xid ?? "") || BigInt(xid) >= 2n ** 64n || !UUID.test(memberId ?? "")) throw badInput("`after` must be a cursor the erasure feed gave (`next`)", "after");
  return { xid, memberId: memberId.toLowerCase() };
}

/**
 * The cursor after a page, from the last key the page read and the oldest transaction still running
 * when it was read (`horizon`, the snapshot's xmin). Below the horizon nothing can appear any more: a
 * transaction there has ended, so its erasures were in the page or before it. At or above it a
 * transaction may still commit erasures with smaller keys than those read, so a reader must not pass it.
 * Transaction ids are 64-bit (xid8) and compared as integers.
 */
export function cursorAfterPage(last: ErasureFeedCursor | null, horizon: string, full: boolean): ErasureFeedCursor {
  const atHorizon: ErasureFeedCursor = { xid: horizon, memberId: START.memberId };
  if (!full || !last) return atHorizon;
  return BigInt(last.xid) < BigInt(horizon) ? last : atHorizon;
}

/**
 * The erasures a reader (the gateway) has not seen yet, after `after`, in (transaction id, member id)
 * order. The feed holds member ids only (no personal data): erasures are never undone, and every
 * gateway keeps the ids it read so it can refuse an erased member's tokens without asking per request.
 */
export async function readErasureFeed(dataSource: DataSource, after: string | null | undefined, pageSize = ERASURE_FEED_PAGE): Promise<ErasureFeedPage> {
  const from = decodeErasureCursor(after);
  // One statement: the rows and the horizon from the same snapshot.
  const rows: { member_id: string; xid: string; horizon: string }[] = await dataSource.query(
    `SELECT e.member_id, e.erased_xid::text AS xid, h.horizon::text AS horizon
       FROM (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS horizon) h
       LEFT JOIN LATERAL (
         SELECT member_id, erased_xid FROM member_erasures
          WHERE (erased_xid, member_id) > ($1::xid8, $2::uuid)
          ORDER BY erased_xid, member_id LIMIT $3
       ) e ON true`,
    [from.xid, from.memberId, pageSize],
  );
  const found = rows.filter((row) => row.member_id !== null);
  const lastRow = found.at(-1);
  const full = found.length === pageSize;
  const next = cursorAfterPage(lastRow ? { xid: lastRow.xid, memberId: lastRow.member_id } : null, rows[0].horizon, full);
  // Never move back past where the reader already stood (a horizon below it adds nothing unseen).
  const forward = BigInt(next.xid) > BigInt(from.xid) || (next.xid === from.xid && next.memberId > from.memberId) ? next : from;
  return { memberIds: found.map((row) => row.member_id), next: encodeErasureCursor(forward), complete: !full };
}
