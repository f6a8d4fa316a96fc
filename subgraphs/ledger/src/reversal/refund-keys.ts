import type { EntityManager } from "typeorm";
import { findIdempotent, fingerprint } from "../journal/journal";

/** A refund's idempotency key, and the form it had before, where that form was ambiguous. */
export interface RefundKeys {
  key: string;
  /** The key as written before refund keys were encoded: looked up for retries of refunds stored then. */
  legacy: string | null;
}

/**
 * A refund's idempotency key, scoped to its partner: `reversal:<partner>:<receipt>:<refund id>` (or
 * `amount-<amount>` without a refund id), the form every refund has been stored under, wherever that
 * form is unambiguous: a receipt reference and a refund id without `:`, the refund id not starting `amount-`.
 * Otherwise the parts are encoded after `~` (base64url of their JSON; no `:` follows the partner id, so
 * it never equals a key of the first form): receipt `R` with refund id `b:c` and receipt `R:b` with
 * `c` were one key, and so were a refund id `amount-500` and an unnamed refund of 500 (an outside
 * review found the second of each pair refused with IDEMPOTENCY_CONFLICT), and a refund id `Y:bonus:<id>`
 * and refund `Y`'s reversal of that bonus (`<refund key>:bonus:<bonus transaction>`, campaign/bonus-reversal.ts).
 */
export function refundKeys(partnerId: string, reference: string, refundReference: string | null, amountMinor: number): RefundKeys {
  const legacy = `reversal:${partnerId}:${reference}:${refundReference ?? `amount-${amountMinor}`}`;
  const ambiguous = reference.includes(":") || (refundReference !== null && (refundReference.includes(":") || refundReference.startsWith("amount-")));
  if (!ambiguous) return { key: legacy, legacy: null };
  const parts = Buffer.from(JSON.stringify([reference, refundReference, refundReference === null ? amountMinor : null]), "utf8").toString("base64url");
  return { key: `reversal:${partnerId}:~${parts}`, legacy };
}

/**
 * The refund these keys name, if it was recorded: under its key (a different input there is
 * IDEMPOTENCY_CONFLICT), or under the legacy form only when that transaction reversed this purchase
 * with this very input (under the legacy form it may be another refund's, which is not a conflict).
 */
export async function findRefund(manager: EntityManager, keys: RefundKeys, request: unknown, purchaseTransactionId: string): Promise<string | null> {
  const found = await findIdempotent(manager, keys.key, request);
  if (found || !keys.legacy) return found;
  const [row] = await manager.query(`SELECT id, fingerprint, reverses_transaction_id FROM transactions WHERE idempotency_key = $1`, [keys.legacy]);
  return row && row.reverses_transaction_id === purchaseTransactionId && row.fingerprint === fingerprint(request) ? row.id : null;
}
