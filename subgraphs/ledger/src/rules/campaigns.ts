/**
 * Campaigns: which purchases earn a campaign's bonus, how much, in what order, and within which limits.
 * The one home of these rules: `apply_campaign_bonuses` (../sql/campaign-bonuses.ts) is generated from
 * the SQL fragments beside each function here, and test/unit/campaign-rules.test.ts checks both.
 */
import { DAY_MS } from "./calendar";
import { heldPointsFitUnderCapSql } from "./cap";

/** Upper bounds on what a campaign may promise (an attacker's 10^15 % bonus is refused, not overflowed). */
export const MAX_BONUS_PERCENT = 1_000;
export const MAX_BONUS_POINTS = 1_000_000;
export const MAX_AFTER_PURCHASE_DAYS = 365;
export const MAX_CAMPAIGN_DAYS = 366;
export const MAX_CAMPAIGN_NAME = 100;
/** Partners and categories one campaign may list. */
export const MAX_CAMPAIGN_SCOPE = 50;

/**
 * A percent bonus: floor(basePoints × percent / 100) of the purchase's BASE points (before the tier
 * bonus), rounded down like the tier bonus: 3 base points at 50 % give 1, 199 at 10 % give 19.
 */
export function percentBonus(basePoints: number, percent: number): number {
  return Number((BigInt(basePoints) * BigInt(percent)) / 100n);
}
export const percentBonusSql = (basePoints: string, percent: string) => `((${basePoints})::bigint * (${percent})) / 100`;

/** A campaign's bonus for one purchase before limits: its fixed points, else its percent of the base points. */
export function campaignBonus(bonus: { bonusPoints: number | null; bonusPercent: number | null }, basePoints: number): number {
  return bonus.bonusPoints ?? percentBonus(basePoints, bonus.bonusPercent ?? 0);
}
export const campaignBonusSql = (bonusPoints: string, bonusPercent: string, basePoints: string) =>
  `coalesce(${bonusPoints}::bigint, ${percentBonusSql(basePoints, bonusPercent)})`;

/**
 * What is actually awarded: the bonus, cut to what is left of the budget and of the member's cap
 * (null = no limit). A campaign whose budget has 30 points left awards 30 of a 50-point bonus, then
 * nothing more: the budget is never overspent, and the last points of it are not wasted.
 */
export function awardFor(bonus: number, budgetLeft: number | null, memberLeft: number | null): number {
  return Math.max(0, Math.min(bonus, budgetLeft ?? bonus, memberLeft ?? bonus));
}
export const awardForSql = (bonus: string, budgetLeft: string, memberLeft: string) =>
  `greatest(0, least(${bonus}, coalesce(${budgetLeft}, ${bonus}), coalesce(${memberLeft}, ${bonus})))`;

/**
 * Several purchases meeting one campaign in one call, in order: each award is awardFor(its bonus cut
 * to the member's cap, the budget left less the cut bonuses before it). The same as awarding them one
 * by one (the budget is spent in that order and each takes what is left): a budget of 70 and cut
 * bonuses 50, 50, 50 give 50, 20, 0. This closed form is what lets the SQL award a whole group at once.
 */
export function awardsInOrder(budgetLeft: number | null, bonuses: readonly { bonus: number; memberLeft: number | null }[]): number[] {
  let cutBefore = 0;
  return bonuses.map(({ bonus, memberLeft }) => {
    const cut = awardFor(bonus, null, memberLeft);
    const award = awardFor(cut, budgetLeft === null ? null : budgetLeft - cutBefore, null);
    cutBefore += cut;
    return award;
  });
}
/** `cutBonus` is this purchase's bonus cut to the member's cap; `cutBefore` the sum of the cut bonuses before it (SQL: a window sum). */
export const awardInOrderSql = (cutBonus: string, budgetLeft: string, cutBefore: string) => awardForSql(cutBonus, `${budgetLeft} - ${cutBefore}`, "NULL");

/**
 * A PREPAID funder (a partner that issues only from an allowance it bought) pays its bonuses from that
 * allowance like from a budget, after the budgets: its awards within budget, in purchase order then
 * campaign order, each cut to the allowance left less the awards before it (awardsInOrder), so an
 * allowance of 100 and awards 60, 60, 60 give 60, 40, 0. A bonus the funder cannot pay is cut or
 * not awarded; the purchase keeps its own points, wherever it was made. `allowanceLeft` null: no
 * allowance (a postpaid funder, the coalition). SQL: awardInOrderSql over the awards within budget.
 */
export function fundedFromAllowance(allowanceLeft: number | null, awardsWithinBudget: readonly number[]): number[] {
  return awardsInOrder(allowanceLeft, awardsWithinBudget.map((bonus) => ({ bonus, memberLeft: null })));
}

/**
 * The member points cap and bonuses: a purchase's campaign bonuses (each cut to the member's cap of
 * its campaign, before budgets) are awarded together or, when together they would take what the member
 * holds (the balance with the purchase's own points, plus what they owe: rules/cap.ts
 * `heldPointsWouldPassCap`) past `cap`, not at all; the purchase's own points still count. All or
 * nothing per purchase, so a group's awards are known without awarding them one by one. A debt makes
 * no room: bonuses are pending like their purchase, and `pending` stays within what the member holds.
 */
export function bonusesFitUnderCap(balance: number, debt: number, cutBonuses: readonly number[], cap: number): boolean {
  return BigInt(balance) + BigInt(debt) + cutBonuses.reduce((sum, b) => sum + BigInt(b), 0n) <= BigInt(cap);
}
export const bonusesFitUnderCapSql = (balance: string, debt: string, cutBonusesSum: string, cap: string) => heldPointsFitUnderCapSql(balance, debt, cutBonusesSum, cap);

/** A purchase made at `at` is inside a campaign's window when startsAt ≤ at < endsAt (to the millisecond). */
export function inCampaignWindow(startsAt: Date, endsAt: Date, at: Date): boolean {
  return startsAt.getTime() <= at.getTime() && at.getTime() < endsAt.getTime();
}
export const inCampaignWindowSql = (startsAt: string, endsAt: string, at: string) => `(${startsAt} <= ${at} AND ${at} < ${endsAt})`;

/**
 * The cross-brand condition: an earlier purchase at the other partner made at `priorAt` counts for a
 * purchase at `at` when at − days × 24 h ≤ priorAt < at (the earlier purchase exactly 7 days before
 * counts, one second more does not; one at the same instant does not).
 */
export function withinAfterWindow(priorAt: Date, at: Date, days: number): boolean {
  return at.getTime() - days * DAY_MS <= priorAt.getTime() && priorAt.getTime() < at.getTime();
}
/** In hours, not days: a timestamptz less `n days` moves by calendar days in the session's time zone (23 or 25 h across a DST change). */
export const withinAfterWindowSql = (priorAt: string, at: string, days: string) =>
  `(${priorAt} >= ${at} - make_interval(hours => 24 * ${days}) AND ${priorAt} < ${at})`;

/**
 * The cross-brand condition's earlier purchase must have earned points ("members who earned at that
 * partner"): a purchase that earned none (a one-cent receipt) does not open the funder's bonus, as it
 * does not pay a referral. A refunded one still counts: it earned when it was made.
 */
export function earnedAtOtherPartner(points: number): boolean {
  return points > 0;
}
export const earnedAtOtherPartnerSql = (points: string) => `${points} > 0`;

/**
 * The order several campaigns apply to one purchase (each at most once): the one that started first,
 * then the one created first, then by id. Amounts never depend on the order (each is computed from
 * the base points); only which campaign meets a member's points cap first does.
 */
export interface Ordered {
  startsAt: Date;
  createdAt: Date;
  id: string;
}
export function compareCampaigns(a: Ordered, b: Ordered): number {
  return a.startsAt.getTime() - b.startsAt.getTime() || a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
export const CAMPAIGN_ORDER_SQL = (c: string) => `${c}.starts_at, ${c}.created_at, ${c}.id`;

export type CampaignStatus = "SCHEDULED" | "ACTIVE" | "EXHAUSTED" | "ENDED";

/** ENDED once ended or past its end; else EXHAUSTED once its budget is spent; else SCHEDULED before it starts; else ACTIVE. */
export function campaignStatus(
  c: { startsAt: Date; endsAt: Date; endedAt: Date | null; budgetPoints: number | null; pointsAwarded: number },
  now: Date,
): CampaignStatus {
  if (c.endedAt || now.getTime() >= c.endsAt.getTime()) return "ENDED";
  if (c.budgetPoints !== null && c.pointsAwarded >= c.budgetPoints) return "EXHAUSTED";
  if (now.getTime() < c.startsAt.getTime()) return "SCHEDULED";
  return "ACTIVE";
}
/**
 * campaignStatus(c, now) = ACTIVE as SQL, over the columns named in `c` (`campaigns(activeOnly)` and
 * `Member.offers` filter with it); test/ledger-sql.test.ts evaluates it in Postgres against campaignStatus.
 */
export const campaignActiveSql = (c: Record<"startsAt" | "endsAt" | "endedAt" | "budgetPoints" | "pointsAwarded", string>, now: string) =>
  `${c.endedAt} IS NULL AND ${c.startsAt} <= ${now} AND ${now} < ${c.endsAt} AND (${c.budgetPoints} IS NULL OR ${c.pointsAwarded} < ${c.budgetPoints})`;

/** Referral defaults (README, Campaigns and referrals): both members get this many points, a referrer at most this many times. */
export const REFERRAL_BONUS_POINTS_DEFAULT = 500;
export const REFERRAL_MAX_PER_MEMBER_DEFAULT = 20;

/**
 * Which partners' purchases a campaign covers: those at a partner it lists, or at a partner of a
 * category it lists; a campaign that lists neither (only the coalition may create one) covers every partner.
 */
export function coversPurchaseAt(c: { partnerIds: readonly string[]; categories: readonly string[] }, partnerId: string, category: string | null): boolean {
  if (!c.partnerIds.length && !c.categories.length) return true;
  return c.partnerIds.includes(partnerId) || (category !== null && c.categories.includes(category));
}
export const coversPurchaseAtSql = (partnerIds: string, categories: string, partner: string, category: string) =>
  `(${partnerIds} @> ARRAY[${partner}] OR ${categories} @> ARRAY[${category}] OR (cardinality(${partnerIds}) = 0 AND cardinality(${categories}) = 0))`;
