/**
 * Partner insights, private by construction: the rules that decide which figures a partner sees.
 * Pure, so test/unit/insights-suppression.test.ts pins them with numbers worked out by hand.
 *
 * k = INSIGHTS_MIN_GROUP (default 10). A figure that counts fewer than k distinct members is null,
 * and so is any figure that, subtracted from or added to other published figures, would give the
 * count of a group smaller than k:
 *
 * - a PARTITION (cells that add up to a published total, e.g. members by tier): every cell under k is
 *   suppressed, and while the suppressed cells add up to fewer than k (the total less the published
 *   cells would give their sum exactly), the smallest published cell is suppressed too;
 * - a SUBSET of a published whole (active members of the linked ones, members earning in a category
 *   of the active ones) is the partition {part, whole − part}: both parts must reach k;
 * - PERIODS are whole UTC calendar months, already over: two periods are the same or disjoint, never
 *   nested or overlapping, so no two answers can be subtracted to isolate the members active on one
 *   day or in one week; and a finished month does not change between two calls (no "yesterday and
 *   today" difference of a running month).
 */

export const DEFAULT_INSIGHTS_MIN_GROUP = 10;
/** k below 2 would publish single members: refused at start. */
export const MIN_INSIGHTS_MIN_GROUP = 2;

/** Which cells of a partition (adding up to a published total) may be published; null where suppressed. */
export function suppressPartition(cells: readonly number[], k: number): (number | null)[] {
  const suppressed = cells.map((count) => count < k);
  const suppressedSum = () => cells.reduce((sum, count, i) => sum + (suppressed[i] ? count : 0), 0);
  while (suppressed.some(Boolean) && suppressedSum() < k) {
    let smallest = -1;
    cells.forEach((count, i) => {
      if (!suppressed[i] && (smallest < 0 || count < cells[smallest])) smallest = i;
    });
    if (smallest < 0) break; // everything is suppressed already
    suppressed[smallest] = true;
  }
  return cells.map((count, i) => (suppressed[i] ? null : count));
}

/** A count of a subset of a published whole: published only when both it and the rest reach k. */
export const suppressSubset = (part: number, whole: number, k: number): number | null => suppressPartition([part, whole - part], k)[0];

export interface RawInsights {
  /** Members with an ACTIVE link to the partner now. */
  linked: number;
  /** Of them, those with a purchase anywhere in the coalition in the month. */
  active: number;
  /** Of the linked, how many are at each tier now (adds up to `linked`). */
  tiers: { tier: string; members: number }[];
  /** The sum of the linked members' available points now. */
  availableSum: number;
  /**
   * Per category of the other partners: how many of the linked members made a purchase there in the
   * month, and how many of them at its busiest partner (the most of them at any one partner of it).
   */
  categories: { category: string; members: number; busiest: number }[];
}

export interface PublishedInsights {
  linkedMembers: number | null;
  activeMembers: number | null;
  tiers: { tier: string; members: number | null }[];
  /** floor(available points of the linked members / their number). */
  averageAvailable: number | null;
  alsoEarnsAt: { category: string; members: number | null }[];
}

/** What the partner sees of `raw`: every figure that could single out a group smaller than k is null. */
export function publishInsights(raw: RawInsights, k: number): PublishedInsights {
  // No figure at all about fewer than k members: a population under k hides everything.
  const linkedMembers = raw.linked >= k ? raw.linked : null;
  const shown = linkedMembers !== null;
  const activeMembers = shown ? suppressSubset(raw.active, raw.linked, k) : null;
  const tierCells = shown ? suppressPartition(raw.tiers.map((t) => t.members), k) : raw.tiers.map(() => null);
  return {
    linkedMembers,
    activeMembers,
    tiers: raw.tiers.map((t, i) => ({ tier: t.tier, members: tierCells[i] })),
    averageAvailable: shown ? Math.floor(raw.availableSum / raw.linked) : null,
    alsoEarnsAt: raw.categories.map(({ category, members, busiest }) => {
      // A category's earners are a subset of the linked members and of the active ones: neither
      // "linked − earners" nor (when the active count is shown) "active − earners" may be under k.
      const againstLinked = shown ? suppressSubset(members, raw.linked, k) : null;
      const againstActive = activeMembers === null || suppressSubset(members, raw.active, k) !== null;
      // Nor may it be one partner's count, or within k of it: a coalition often has one airline or one café,
      // so the category would name the competitor. At least k of the earners bought elsewhere in it than at its busiest partner.
      const noOnePartner = members - busiest >= k;
      return { category, members: againstLinked !== null && againstActive && noOnePartner ? members : null };
    }),
  };
}

export interface PeriodProblem {
  field: "from" | "to";
  message: string;
}

const startOfUtcMonth = (date: Date) => new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
const nextUtcMonth = (date: Date) => new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1));

/** The period must be one whole UTC calendar month that is over at `now`; null when it is. */
export function insightsPeriodProblem(from: Date, to: Date, now: Date): PeriodProblem | null {
  if (Number.isNaN(from.getTime()) || from.getTime() !== startOfUtcMonth(from).getTime()) {
    return { field: "from", message: "from must be the first instant of a UTC month, e.g. 2026-10-01T00:00:00Z" };
  }
  if (Number.isNaN(to.getTime()) || to.getTime() !== nextUtcMonth(from).getTime()) {
    return { field: "to", message: "to must be the first instant of the month after from: insights cover one whole calendar month" };
  }
  if (to.getTime() > startOfUtcMonth(now).getTime()) {
    return { field: "to", message: "insights cover months that are over: the current month is not available until it ends" };
  }
  return null;
}
