import { badInput } from "./errors";
import { quoted } from "./quoted";
import { isUuid } from "./validation";

/**
 * Cursors of the connections keyed by a row's id (members, rewards, redemptions, campaigns): opaque to clients,
 * base64url of `<kind>:<uuid>`. The list's order is by the row's own columns (enrolment time, cost,
 * creation time) then id, and the SQL reads those columns from the row the cursor names, so a cursor
 * never carries a value that could be rounded (a timestamp's microseconds) or forged.
 */
export type CursorKind = "member" | "reward" | "redemption" | "campaign";

export const encodeIdCursor = (kind: CursorKind, id: string): string => Buffer.from(`${kind}:${id.toLowerCase()}`, "utf8").toString("base64url");

/** The id a cursor of this kind points at; anything we did not hand out is BAD_USER_INPUT on `after`. */
export function decodeIdCursor(kind: CursorKind, cursor: string): string {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const id = text.startsWith(`${kind}:`) ? text.slice(kind.length + 1) : "";
  // Re-encoding must give the cursor back: rejects padding, stray characters, upper case and other kinds.
  if (!isUuid(id) || encodeIdCursor(kind, id) !== cursor) {
    throw badInput(`after must be a cursor from a previous page of this list (pageInfo.endCursor or an edge's cursor), got ${quoted(cursor)}`, "after");
  }
  return id;
}

/** A page from `first + 1` rows fetched: the first `first` of them, and whether another page follows. */
export function pageOf<T>(rows: T[], first: number): { items: T[]; hasNextPage: boolean } {
  return { items: rows.slice(0, first), hasNextPage: rows.length > first };
}
