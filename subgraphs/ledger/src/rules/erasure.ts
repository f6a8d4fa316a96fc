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
