import type { SeedPartner, SeedPurchase } from "../../../../shared/src/seed/plan";
import { TierLevel } from "../../../../shared/src/enums";
import {
  QualifyingCounter,
  availableAt,
  basePointsForPurchase,
  expiresAt,
  isPending,
  pointsAtTier,
  qualifyingPointsAt,
  availablePoints,
  tierFor,
} from "../rules";

/**
 * What PurchaseService.record would have earned for a member's purchases had each been recorded live
 * (at its own time, without occurredAt): base points from the partner's rule, multiplied by the tier
 * the member had at that moment. Every rule comes from ../rules, as in the service.
 */

export interface EarnedPurchase extends SeedPurchase {
  base: number;
  points: number;
  /** The qualifying points its tier was read from (what record_purchases stores: purchases.tier_qualifying_points). */
  tierQualifyingPoints: number;
  /** Epoch seconds: the end of the partner's return window. */
  availableAt: number;
}

const at = (seconds: number) => new Date(seconds * 1000);

export function earnPurchases(purchases: SeedPurchase[], partners: SeedPartner[]): EarnedPurchase[] {
  const qualifying = new QualifyingCounter();
  return purchases.map((purchase) => {
    const rule = partners[purchase.partner];
    const earnedAt = at(purchase.at);
    const base = basePointsForPurchase(purchase.amountMinor, rule.pointsPerUnit);
    const tierQualifyingPoints = qualifying.at(earnedAt);
    const points = pointsAtTier(base, tierFor(tierQualifyingPoints));
    const available = availableAt(earnedAt, rule.returnWindowDays);
    qualifying.add({ earnedAt, availableAt: available, basePoints: base });
    return { ...purchase, base, points, tierQualifyingPoints, availableAt: available.getTime() / 1000 };
  });
}

export interface ExpectedStanding {
  balance: number;
  available: number;
  pending: number;
  lifetimeEarned: number;
  qualifying: number;
  tier: TierLevel;
  /** Points earned per partner id, most first (as balance.byPartner lists them). */
  byPartner: { partnerId: string; earned: number }[];
}

/**
 * What the ledger's standing loader answers at `now` for a member holding exactly these purchases
 * (no redemptions, refunds or transfers), computed from the purchases alone: what tests compare with.
 */
export function standingAt(earned: EarnedPurchase[], partners: SeedPartner[], now: Date, expiryMonths: number): ExpectedStanding {
  let balance = 0;
  let pending = 0;
  let expired = 0;
  const byPartner = new Map<string, number>();
  for (const p of earned) {
    balance += p.points;
    if (expiresAt(at(p.at), expiryMonths).getTime() <= now.getTime()) expired += p.points;
    else if (isPending(at(p.availableAt), now)) pending += p.points;
    const id = partners[p.partner].id;
    byPartner.set(id, (byPartner.get(id) ?? 0) + p.points);
  }
  const qualifying = qualifyingPointsAt(
    earned.map((p) => ({ earnedAt: at(p.at), availableAt: at(p.availableAt), basePoints: p.base })),
    now,
  );
  return {
    balance,
    available: availablePoints(balance, { pending, expired, held: 0 }),
    pending,
    lifetimeEarned: balance,
    qualifying,
    tier: tierFor(qualifying) as TierLevel,
    byPartner: [...byPartner].map(([partnerId, points]) => ({ partnerId, earned: points })).sort((a, b) => b.earned - a.earned || (a.partnerId < b.partnerId ? -1 : 1)),
  };
}
