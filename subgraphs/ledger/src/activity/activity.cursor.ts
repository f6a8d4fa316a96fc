import { badInput } from "../../../../shared/src/errors";
import { quoted } from "../../../../shared/src/quoted";

/**
 * Activity cursors are opaque to clients: base64url of `entry:<seq>`, where seq is the posting's
 * position in the ledger (ties on occurred_at are broken by it).
 */
const PREFIX = "entry:";
const SEQ = /^[1-9][0-9]{0,17}$/;

export const encodeCursor = (seq: string): string => Buffer.from(`${PREFIX}${seq}`, "utf8").toString("base64url");

/** The posting seq a cursor points at; anything we did not hand out is BAD_USER_INPUT on `after`. */
export function decodeCursor(cursor: string): string {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const seq = text.startsWith(PREFIX) ? text.slice(PREFIX.length) : "";
  // Re-encoding must give the cursor back: rejects padding, stray characters and other encodings.
  if (!SEQ.test(seq) || encodeCursor(seq) !== cursor) {
    throw badInput(`after must be a cursor from a previous page (pageInfo.endCursor or an edge's cursor), got ${quoted(cursor)}`, "after");
  }
  return seq;
}
