import { createHash } from "node:crypto";

/**
 * What an erasure leaves of text a caller chose that sits on the erased member's rows (a partner's
 * purchase reference or refund id, a member app's transfer or redemption key, an admin's adjustment
 * key, a request id): `erased:` and the hex SHA-256 of its UTF-8 bytes. One way, so nothing readable
 * stays (a partner that put an email address in a reference); the same text always gives the same
 * digest, so a partner can still find its own records by hashing its reference, and distinct texts
 * stay distinct, so the unique keys they were in still hold. Every service's erasure step uses it
 * (README, Members' data); `erasedTextSql` is the same digest in SQL (the migrations' triggers admit
 * exactly it), checked against this one by test/erasure-caller-text.test.ts.
 */
export const erasedText = (text: string): string => `erased:${createHash("sha256").update(text, "utf8").digest("hex")}`;

/** The SQL of erasedText(`expression`) (Postgres 11+ `sha256`). */
export const erasedTextSql = (expression: string): string => `'erased:' || encode(sha256(convert_to(${expression}, 'UTF8')), 'hex')`;

/**
 * Whether a text is a digest already (an erasure run again leaves it as it is). A caller's own text of
 * this very form is 64 hex digits behind `erased:` and names no one, so it may stay.
 */
export const ERASED_TEXT_PATTERN = "^erased:[0-9a-f]{64}$";

/** SQL: `expression` replaced by its digest unless it is null or one already. */
export const erasingTextSql = (expression: string): string =>
  `CASE WHEN ${expression} IS NULL OR ${expression} ~ '${ERASED_TEXT_PATTERN}' THEN ${expression} ELSE ${erasedTextSql(expression)} END`;
