/**
 * Erasure (GDPR article 17): the member's remaining points are forfeited, every open lot emptied, by
 * one ADJUSTMENT whose reason is ERASURE. Each partner's share goes to its breakage account (the
 * points it issued that will never be spent), so the partner's liability drops by exactly what its
 * lots held. A debt the member owed is not forgiven: it stays on the record, with the balance at −debt.
 */
export const ERASURE_ADJUSTMENT_REASON = "ERASURE" as const;

export interface OpenLot {
  partnerId: string;
  remaining: number;
}

export interface ErasureForfeit {
  /** Points taken from the member: the sum of every open lot (pending and not yet expired points included). */
  total: number;
  /** Credited to each partner's breakage account, by partner id in ascending order; no zero shares. */
  byPartner: { partnerId: string; points: number }[];
}

export function erasureForfeit(lots: readonly OpenLot[]): ErasureForfeit {
  const shares = new Map<string, number>();
  for (const lot of lots) {
    if (!Number.isSafeInteger(lot.remaining) || lot.remaining < 0) throw new Error(`A lot cannot hold ${lot.remaining} points`);
    if (lot.remaining > 0) shares.set(lot.partnerId, (shares.get(lot.partnerId) ?? 0) + lot.remaining);
  }
  const byPartner = [...shares].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([partnerId, points]) => ({ partnerId, points }));
  return { total: byPartner.reduce((sum, share) => sum + share.points, 0), byPartner };
}
