import { isPending } from "./windows";

/**
 * Erasure (GDPR article 17): the member's remaining points are forfeited, every open lot emptied,
 * each by an ADJUSTMENT of its own (reason ERASURE) that credits the lot's issuer's breakage account:
 * points that will never be redeemed, so the clearing house values them as breakage, at the lot's
 * price and the issuer's breakage share (rules/clearing.ts), and the issuer's liability drops by
 * exactly what its lots held. A debt the member owed is not forgiven: it stays on the record, with
 * the balance at −debt.
 */
export const ERASURE_ADJUSTMENT_REASON = "ERASURE" as const;

export interface OpenLot {
  lotId: string;
  partnerId: string;
  remaining: number;
}

export interface LotForfeit {
  lotId: string;
  /** Whose breakage account is credited: the lot's issuer. */
  partnerId: string;
  points: number;
}

export interface ErasureForfeit {
  /** Points taken from the member: the sum of every open lot (pending and not yet expired points included). */
  total: number;
  /** One per lot that holds points, in the order given; empty lots forfeit nothing. */
  lots: LotForfeit[];
}

export function erasureForfeit(lots: readonly OpenLot[]): ErasureForfeit {
  const forfeits: LotForfeit[] = [];
  for (const lot of lots) {
    if (!Number.isSafeInteger(lot.remaining) || lot.remaining < 0) throw new Error(`A lot cannot hold ${lot.remaining} points`);
    if (lot.remaining > 0) forfeits.push({ lotId: lot.lotId, partnerId: lot.partnerId, points: lot.remaining });
  }
  return { total: forfeits.reduce((sum, f) => sum + f.points, 0), lots: forfeits };
}

/** The idempotency key of the forfeit of one lot: the member's erasure runs once, each lot's forfeit once with it. */
export const lotForfeitKey = (memberId: string, lotId: string): string => `erasure:${memberId}:lot:${lotId}`;

/**
 * What an erasure leaves of the notes of the member's adjustments (`adjustments.note`): a note is free
 * text a customer-care agent wrote about the person ("goodwill for Ada Byron after her complaint"), so
 * it goes with the profile; the adjustment's reason, points, author and funder stay for the record.
 * The one change the append-only `adjustments` table admits (AdjustmentNotesErased1734920000000).
 */
export const ERASED_ADJUSTMENT_NOTE = "(erased with the member)";

/**
 * The scopes of the ledger's idempotency keys that hold text a caller chose (a partner's receipt
 * reference and refund id, a member app's transfer key, an admin's adjustment key; journal.ts names
 * their fields in IDEMPOTENCY_CONFLICT). The ledger's own keys (`bonus:`, `referral…`, `redemption:`,
 * `cancellation:`, `expiry:lot:`, `erasure:`) hold only ids, and some are looked up by their form
 * (ledger:verify, the clearing house), so they stay.
 */
export const CALLER_KEY_SCOPES = ["purchase", "reversal", "transfer", "adjustment"] as const;

/** SQL: whether the key `expression` holds a caller's text (CALLER_KEY_SCOPES). */
export const isCallerKeySql = (expression: string): string => `${expression} ~ '^(${CALLER_KEY_SCOPES.join("|")}):'`;

/**
 * SQL: whether the reference of the transaction `t` (an alias) is text a caller chose: a purchase's
 * (EARN: the partner's receipt reference), the bonuses it paid (BONUS, which carry it, their reversals
 * included) and a refund's (reason PURCHASE_REFUND). A redemption's REDEEM and its cancellation's
 * REVERSAL name the redemption (its id), which the catalog's consistency checks follow: they stay.
 */
export const isCallerReferenceSql = (t: string): string => `(${t}.kind IN ('EARN', 'BONUS') OR ${t}.reversal_reason = 'PURCHASE_REFUND')`;

/**
 * A referral bonus becomes the referrer's for good when it becomes available. Until then a refund of
 * the referred member's first purchase takes it back (rules/refunds.ts shareOf), but an erased member's
 * purchases can no longer be refunded (their points were forfeited to the issuers' breakage), so the
 * referred member's erasure withdraws what the referrer's referral bonus lots still hold while pending:
 * one ADJUSTMENT per lot, shaped like a forfeit (the referrer −points, the lot's issuer's breakage
 * +points, naming the lot), with an `adjustments` row (REFERRAL_WITHDRAWAL_REASON,
 * REFERRAL_WITHDRAWAL_NOTE) so the referrer's activity says why. A bonus already available stays; one a
 * partial refund took part of has only the rest withdrawn. Before, a member could enrol a second address
 * with their own code, buy once, erase that account, return the goods and keep the referral bonus.
 */
export interface ReferrerBonusLot {
  lotId: string;
  /** The referrer, whose lot it is. */
  memberId: string;
  /** The lot's issuer: the coalition's nil owner id for referral bonuses. */
  partnerId: string;
  remaining: number;
  availableAt: Date;
}

export interface ReferralWithdrawal {
  lotId: string;
  memberId: string;
  partnerId: string;
  points: number;
}

/** What the erasure of a referred member at `now` withdraws from their referrer's bonus lots: each lot still pending that holds points, in the order given. */
export function referralWithdrawals(lots: readonly ReferrerBonusLot[], now: Date): ReferralWithdrawal[] {
  const withdrawals: ReferralWithdrawal[] = [];
  for (const lot of lots) {
    if (!Number.isSafeInteger(lot.remaining) || lot.remaining < 0) throw new Error(`A lot cannot hold ${lot.remaining} points`);
    if (lot.remaining > 0 && isPending(lot.availableAt, now)) {
      withdrawals.push({ lotId: lot.lotId, memberId: lot.memberId, partnerId: lot.partnerId, points: lot.remaining });
    }
  }
  return withdrawals;
}

/** The idempotency key of the withdrawal of a referrer's bonus lot at the referred member's erasure: once per erasure and lot. */
export const referralWithdrawalKey = (erasedMemberId: string, lotId: string): string => `erasure:${erasedMemberId}:referral:${lotId}`;

/** The withdrawal's `adjustments` row: its reason (one of ADJUSTMENT_REASONS) and note (within MAX_ADJUSTMENT_NOTE_LENGTH), which the referrer sees. */
export const REFERRAL_WITHDRAWAL_REASON = "CORRECTION" as const;
export const REFERRAL_WITHDRAWAL_NOTE =
  "Referral bonus withdrawn: the referral ended before the bonus became available";
