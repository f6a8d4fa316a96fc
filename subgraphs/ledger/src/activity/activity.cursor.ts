import { badInput } from "../../../../shared/src/errors";
import { quoted } from "../../../../shared/src/quoted";

/**
 * Activity cursors are opaque to clients: base64url of `entry:<id>`, the posting's own id (the entry's
 * `LedgerEntry.id`). Not its seq: a position in the whole ledger, a cursor that grew with every
 * member's entries told any member how busy the coalition was between two of their own pages.
 */
const PREFIX = "entry:";
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const encodeCursor = (postingId: string): string => Buffer.from(`${PREFIX}${postingId}`, "utf8").toString("base64url");

/** The posting id a cursor names; anything we did not hand out is BAD_USER_INPUT on `after`. */
export function decodeCursor(cursor: string): string {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const postingId = text.startsWith(PREFIX) ? text.slice(PREFIX.length) : "";
  // Re-encoding must give the cursor back: rejects padding, stray characters and other encodings.
  if (!ID.test(postingId) || encodeCursor(postingId) !== cursor) {
    throw badInput(`after must be a cursor from a previous page (pageInfo.endCursor or an edge's cursor), got ${quoted(cursor)}`, "after");
  }
  return postingId;
}
