import { createHash } from "node:crypto";

/**
 * The hash chain of closed statements and reports: SHA-256 (hex) of the previous hash (the partner's
 * statement of its last closed period, or the last closed report; GENESIS_HASH for the first), a
 * newline, and the canonical text stored (rules/clearing-periods.ts `canonicalJson`). Changing any
 * stored figure, or anything earlier in the chain, changes every hash from there on.
 */
export const chainHash = (previousHash: string, canonicalText: string): string =>
  createHash("sha256").update(`${previousHash}\n${canonicalText}`).digest("hex");
