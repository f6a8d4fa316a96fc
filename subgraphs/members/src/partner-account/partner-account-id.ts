import { createHash } from "node:crypto";

/**
 * A link's id, derived from its (member, partner) key: the table's primary key is that pair, so the id
 * needs no column, and it never changes while they are linked. SHA-256 in UUID shape: it reveals
 * neither id to whoever sees only the link's id.
 */
export function partnerAccountId(memberId: string, partnerId: string): string {
  const hex = createHash("sha256").update(`partner-account:${memberId.toLowerCase()}:${partnerId.toLowerCase()}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
