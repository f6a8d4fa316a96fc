/**
 * Tiers: thresholds on qualifying points, earning multipliers, progress. The one home of these
 * numbers: `record_purchases` receives the thresholds and percents as arguments (see ../sql).
 */

export type Tier = "BASE" | "SILVER" | "GOLD" | "PLATINUM";

/** Qualifying points (base points earned in the qualifying window) needed for each tier, lowest first. */
export const TIER_THRESHOLDS: readonly { tier: Tier; threshold: number }[] = [
  { tier: "BASE", threshold: 0 },
  { tier: "SILVER", threshold: 5_000 },
  { tier: "GOLD", threshold: 20_000 },
  { tier: "PLATINUM", threshold: 50_000 },
];

/** Earning multiplier by tier, in percent (the bonus is funded by the partner, like the base points). */
export const TIER_MULTIPLIER_PERCENT: Readonly<Record<Tier, number>> = {
  BASE: 100,
  SILVER: 125,
  GOLD: 150,
  PLATINUM: 200,
};

/** The tier of a member with `qualifyingPoints`: the highest whose threshold they reach. */
export function tierFor(qualifyingPoints: number): Tier {
  let tier: Tier = TIER_THRESHOLDS[0].tier;
  for (const t of TIER_THRESHOLDS) if (qualifyingPoints >= t.threshold) tier = t.tier;
  return tier;
}

/**
 * Points a purchase earns at a tier: floor(basePoints × percent / 100), in integers (rounded down:
 * 1 base point at SILVER earns 1, 3 earn 3, 4 earn 5). Only the base points qualify.
 */
export function pointsAtTier(basePoints: number, tier: Tier): number {
  return Number((BigInt(basePoints) * BigInt(TIER_MULTIPLIER_PERCENT[tier])) / 100n);
}

/**
 * The same rules as SQL, for `record_purchases` and `apply_campaign_bonuses`, which receive the
 * thresholds (and percents) as arrays in TIER_THRESHOLDS order (lowest first, the first 0):
 * test/ledger-sql.test.ts evaluates each in Postgres against tierFor and pointsAtTier.
 */
/** The percent of the tier `qualifying` reaches (tierFor, then TIER_MULTIPLIER_PERCENT): the highest threshold at or below it. */
export const tierPercentSql = (qualifying: string, thresholds: string, percents: string) => `coalesce(
             (SELECT t.percent FROM unnest(${thresholds}, ${percents}) AS t(threshold, percent)
              WHERE ${qualifying} >= t.threshold ORDER BY t.threshold DESC LIMIT 1), ${percents}[1])`;
/** pointsAtTier: floor(basePoints × percent / 100), in bigint. */
export const pointsAtTierSql = (basePoints: string, percent: string) => `(${basePoints}::bigint * ${percent}) / 100`;
/** The tier's rank (1 = BASE, as array_position over the tier names in TIER_THRESHOLDS order): how many thresholds `qualifying` reaches. */
export const tierRankSql = (qualifying: string, thresholds: string) => `(SELECT count(*) FROM unnest(${thresholds}) th WHERE th <= ${qualifying})`;

export interface TierStanding {
  current: Tier;
  next: Tier | null;
  qualifyingPoints: number;
  nextThreshold: number | null;
  pointsToNext: number;
  /** (qualifying − current threshold) / (next threshold − current threshold), clamped to 0..1; 1 at the top. */
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
