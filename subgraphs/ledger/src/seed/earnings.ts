import type { SeedPartner, SeedPurchase } from "../../../../shared/src/seed/plan";
import { TierLevel } from "../../../../shared/src/enums";
import { addMonths } from "../clock";
import { TIER_MULTIPLIER_PERCENT, tierStanding } from "../balance/tiers";
import { pointsForPurchase } from "../purchase/earn-rule";

/**
 * What PurchaseService.record would have earned for a member's purchases had each been recorded live
 * (at its own time, without occurredAt): base points from the partner's rule, multiplied by the tier
 * the member had at that moment. Uses the service's own functions, so the rules cannot drift apart.
 */

export interface EarnedPurchase extends SeedPurchase {
  base: number;
  points: number;
  /** Epoch seconds: the end of the partner's return window. */
  availableAt: number;
}

const YEAR_SECONDS = 365 * 86_400;

export function earnPurchases(purchases: SeedPurchase[], partners: SeedPartner[]): EarnedPurchase[] {
  // Qualifying points at time t (QUALIFYING_SQL): base points of the purchases recorded before, less
  // those still inside their return window at t. All purchases of one member lie within 330 days, so
  // none leaves the 12-month window; each return window is a queue whose head leaves when it passes.
  let recorded = 0;
  const windows = new Map<number, { items: EarnedPurchase[]; head: number; base: number }>();
  const earned: EarnedPurchase[] = [];
  for (const purchase of purchases) {
    const rule = partners[purchase.partner];
    if (rule.returnWindowDays * 86_400 >= YEAR_SECONDS) throw new Error("Seed return windows must be shorter than the tier window");
    let pending = 0;
    for (const window of windows.values()) {
      while (window.head < window.items.length && window.items[window.head].availableAt <= purchase.at) window.base -= window.items[window.head++].base;
      pending += window.base;
    }
    const tier = tierStanding(recorded - pending).current;
    const base = pointsForPurchase(purchase.amountMinor, rule.pointsPerUnit);
    const points = Math.floor((base * TIER_MULTIPLIER_PERCENT[tier]) / 100);
    const entry = { ...purchase, base, points, availableAt: purchase.at + rule.returnWindowDays * 86_400 };
    earned.push(entry);
    recorded += base;
    if (rule.returnWindowDays > 0) {
      const window = windows.get(rule.returnWindowDays) ?? { items: [], head: 0, base: 0 };
      window.items.push(entry);
      window.base += base;
      windows.set(rule.returnWindowDays, window);
    }
  }
  return earned;
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
export function standingAt(earned: EarnedPurchase[], partners: SeedPartner[], now: Date, expiryMonths = 24): ExpectedStanding {
  const nowSeconds = now.getTime() / 1000;
  const windowStart = addMonths(now, -12).getTime() / 1000;
  let balance = 0;
  let pending = 0;
  let expired = 0;
  let qualifying = 0;
  const byPartner = new Map<string, number>();
  for (const p of earned) {
    const expiresAt = addMonths(new Date(p.at * 1000), expiryMonths).getTime() / 1000;
    balance += p.points;
    if (expiresAt <= nowSeconds) expired += p.points;
    else if (p.availableAt > nowSeconds) pending += p.points;
    // Daily buckets after the day 12 months back, less purchases still pending (QUALIFYING_SQL).
    if (utcDay(p.at) > utcDay(windowStart)) qualifying += p.base;
    if (p.availableAt > nowSeconds && p.at > windowStart) qualifying -= p.base;
    const id = partners[p.partner].id;
    byPartner.set(id, (byPartner.get(id) ?? 0) + p.points);
  }
  return {
    balance,
    available: balance - pending - expired,
    pending,
    lifetimeEarned: balance,
    qualifying,
    tier: tierStanding(qualifying).current,
    byPartner: [...byPartner].map(([partnerId, points]) => ({ partnerId, earned: points })).sort((a, b) => b.earned - a.earned || (a.partnerId < b.partnerId ? -1 : 1)),
  };
}

const utcDay = (seconds: number) => Math.floor(seconds / 86_400);
