import { TierLevel } from "../../../../shared/src/enums";

/** Qualifying points (earned in the trailing 12 months) needed for each tier. */
export const TIER_THRESHOLDS: readonly { tier: TierLevel; threshold: number }[] = [
  { tier: TierLevel.BASE, threshold: 0 },
  { tier: TierLevel.SILVER, threshold: 5_000 },
  { tier: TierLevel.GOLD, threshold: 20_000 },
  { tier: TierLevel.PLATINUM, threshold: 50_000 },
];

/** Earning multiplier by tier, in percent (the bonus is funded by the partner, like the base points). */
export const TIER_MULTIPLIER_PERCENT: Record<TierLevel, number> = {
  [TierLevel.BASE]: 100,
  [TierLevel.SILVER]: 125,
  [TierLevel.GOLD]: 150,
  [TierLevel.PLATINUM]: 200,
};

export interface TierStanding {
  current: TierLevel;
  next: TierLevel | null;
  qualifyingPoints: number;
  nextThreshold: number | null;
  pointsToNext: number;
  progress: number;
}

export function tierStanding(qualifyingPoints: number): TierStanding {
  let index = 0;
  while (index + 1 < TIER_THRESHOLDS.length && qualifyingPoints >= TIER_THRESHOLDS[index + 1].threshold) index++;
  const current = TIER_THRESHOLDS[index];
  const next = TIER_THRESHOLDS[index + 1];
  if (!next) return { current: current.tier, next: null, qualifyingPoints, nextThreshold: null, pointsToNext: 0, progress: 1 };
  const progress = (qualifyingPoints - current.threshold) / (next.threshold - current.threshold);
  return {
    current: current.tier,
    next: next.tier,
    qualifyingPoints,
    nextThreshold: next.threshold,
    pointsToNext: next.threshold - qualifyingPoints,
    progress: Math.min(1, Math.max(0, progress)),
  };
}
