import { createHash } from "node:crypto";
import { actorOf } from "./audit/record-audit";
import type { Identity } from "./auth/proof";
import { appError } from "./errors";
import { requireText } from "./validation";

/**
 * An optional key on a create that has no natural one (a campaign, a reward): after UPSTREAM_UNAVAILABLE
 * the operation may or may not have happened, and a retry with the same key answers what was created
 * instead of creating it twice (twice the budget, twice the stock). A key belongs to its caller: the
 * same key from another partner app or admin is another request. The same key with other input is
 * IDEMPOTENCY_CONFLICT, as every key of the API.
 */
export interface CreationKey {
  /** Who sent it (`partner:<id>`, `admin:<subject>`, …): the key's scope. */
  createdBy: string;
  key: string;
  /** The validated input's hash: a replay must send the same. */
  fingerprint: string;
}

export const MAX_CREATION_KEY = 200;

/** The caller's key for this create, or null when it sent none. */
export function creationKeyOf(identity: Identity, key: string | null | undefined, input: unknown): CreationKey | null {
  if (key == null) return null;
  return {
    createdBy: actorOf(identity),
    key: requireText(key, "idempotencyKey", { max: MAX_CREATION_KEY }),
    fingerprint: createHash("sha256").update(JSON.stringify(input)).digest("hex"),
  };
}

/** What a create found under its key: the row to answer with, or IDEMPOTENCY_CONFLICT when it was made from other input. */
export function replayOf<Row extends { fingerprint?: string | null }>(found: Row, key: CreationKey): Row {
  if (found.fingerprint !== key.fingerprint) {
    throw appError("IDEMPOTENCY_CONFLICT", "This idempotencyKey was already used for a request with different input; use a new idempotencyKey for a new request", {
      field: "idempotencyKey",
    });
  }
  return found;
}
