import { ERASED_TEXT_PATTERN, erasedTextSql, erasingTextSql } from "../../../../shared/src/member-data/erased-text";
import { isCallerKeySql, isCallerReferenceSql } from "../rules/erasure";

/**
 * SQL: what an erasure makes of a caller's key `expression` (rules/erasure.ts CALLER_KEY_SCOPES): its digest
 * (shared/src/member-data/erased-text.ts), but a refund's reversal of a bonus, keyed
 * `<refund key>:bonus:<bonus transaction>` (campaign/bonus-reversal.ts), keeps that 43-character tail:
 * reversals from before ReversalsAsCharged1734330000000 name their bonus by it alone (campaign-checks.ts).
 */
export const erasedKeySql = (expression: string): string =>
  `CASE WHEN ${expression} ~ ':bonus:[0-9a-f-]{36}$' THEN ${erasedTextSql(`left(${expression}, -43)`)} || right(${expression}, 43) ELSE ${erasedTextSql(expression)} END`;

/**
 * SQL: the text callers chose on the transactions tied to the members `members` selects (a subquery, or
 * `$1` cast to uuid) replaced by its digest (shared/src/member-data/erased-text.ts), once: a caller's key
 * (rules/erasure.ts CALLER_KEY_SCOPES: a receipt reference, a refund id, a transfer or adjustment key,
 * inside the key) by erasedKeySql, a caller's reference (isCallerReferenceSql) by its digest. Tied to a member: every transaction posted
 * to their account (their purchases, refunds, transfers sent and received, adjustments, bonuses,
 * redemptions…), every bonus one of their purchases paid (a referrer's referral bonus carries the
 * purchase's reference), and every reversal of either (a refund's reversal of a referrer's bonus is keyed
 * by the refund). The append-only trigger of `transactions` admits exactly this change, for an erased
 * member only (CallerTextErased1734960000000).
 */
export const eraseCallerTextSql = (members: string): string => `
  WITH own AS (
    SELECT p.transaction_id AS id FROM postings p WHERE p.member_id IN (${members})
    UNION
    SELECT b.transaction_id FROM campaign_bonuses b JOIN purchases pu ON pu.transaction_id = b.earn_transaction_id WHERE pu.member_id IN (${members})
  ), tied AS (
    SELECT id FROM own
    UNION
    SELECT r.id FROM transactions r JOIN own ON r.reverses_transaction_id = own.id
  )
  UPDATE transactions t
  SET idempotency_key = CASE WHEN ${isCallerKeySql("t.idempotency_key")} THEN ${erasedKeySql("t.idempotency_key")} ELSE t.idempotency_key END,
      reference = CASE WHEN ${isCallerReferenceSql("t")} THEN ${erasingTextSql("t.reference")} ELSE t.reference END
  FROM tied
  WHERE t.id = tied.id AND (${isCallerKeySql("t.idempotency_key")} OR (${isCallerReferenceSql("t")} AND t.reference !~ '${ERASED_TEXT_PATTERN}'))`;
