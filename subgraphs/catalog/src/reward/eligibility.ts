import { TIER_ORDER, type TierLevel } from "../../../../shared/src/enums";
import type { ErrorCode } from "../../../../shared/src/errors";

/**
 * Reward eligibility: the ONE list of conditions a member must meet to redeem a reward right now.
 *
 * Both uses are built from `ELIGIBILITY` below, so changing a condition there changes both:
 * - `Member.eligibleRewards` filters in SQL with `eligibilityFilter` (the conditions' SQL, generated);
 * - `redeemReward` evaluates the same conditions in TypeScript with `firstUnmet`, and refuses with the
 *   code of the FIRST condition that fails (the list's order is the documented order of error codes).
 * Each request evaluates them at one `now` (a parameter in SQL, never SQL `now()`).
 *
 * A condition is written once, as a small comparison over terms (a reward's column, the member's
 * standing, `now`, a constant); each term knows its SQL and its value, so the SQL and the TypeScript
 * cannot drift apart. Pure: no database or framework code here (tier order from shared/src/enums).
 */

/** What eligibility reads of a reward (a `RewardRecord` is one). */
export interface EligibilityReward {
  active: boolean;
  validFrom: Date | null;
  validUntil: Date | null;
  stock: number | null;
  minimumTier: TierLevel;
  maxPerMember: number | null;
  costPoints: number;
}

/** What eligibility reads of the member: tier and spendable points (from the ledger), and how many times they hold this reward. */
export interface MemberStanding {
  tier: TierLevel;
  available: number;
  /** The member's redemptions of this reward that count toward `maxPerMember` (see COUNTED_STATUSES). */
  redeemed: number;
}

export interface EligibilityInput {
  reward: EligibilityReward;
  standing: MemberStanding;
  now: Date;
}

/** Redemptions that count toward `maxPerMember`: live ones. FAILED and CANCELLED ones do not count. */
export const COUNTED_STATUSES = ["PENDING", "COMPLETED"] as const;

/** SQL: how many of member `member`'s redemptions of reward `reward` count toward `maxPerMember` (int). */
export const countedRedemptionsSql = (member: string, reward: string) =>
  `(SELECT count(*)::int FROM redemptions d WHERE d.member_id = ${member} AND d.reward_id = ${reward} ` +
  `AND d.status IN (${COUNTED_STATUSES.map((s) => `'${s}'`).join(", ")}))`;

// ---- Terms and tests: each has its SQL and its TypeScript meaning, side by side ----------------------

/** Names the generated SQL uses: `r` is the rewards row, `m` the member's standing (member_id, tier, available). */
interface SqlNames {
  now: string;
  tierOrder: string;
}
type Value = number | boolean | Date | string | null;
interface Term {
  sql(names: SqlNames): string;
  value(input: EligibilityInput): Value;
  readsMember: boolean;
}
interface Test {
  sql(names: SqlNames): string;
  holds(input: EligibilityInput): boolean;
  readsMember: boolean;
}

const rewardColumn = (key: keyof EligibilityReward, column: string): Term => ({
  sql: () => `r.${column}`,
  value: ({ reward }) => reward[key],
  readsMember: false,
});
const reward = {
  active: rewardColumn("active", "active"),
  validFrom: rewardColumn("validFrom", "valid_from"),
  validUntil: rewardColumn("validUntil", "valid_until"),
  stock: rewardColumn("stock", "stock"),
  minimumTier: rewardColumn("minimumTier", "minimum_tier"),
  maxPerMember: rewardColumn("maxPerMember", "max_per_member"),
  costPoints: rewardColumn("costPoints", "cost_points"),
};
const member = {
  tier: { sql: () => "m.tier", value: ({ standing }) => standing.tier, readsMember: true } as Term,
  available: { sql: () => "m.available", value: ({ standing }) => standing.available, readsMember: true } as Term,
  redeemed: { sql: () => countedRedemptionsSql("m.member_id", "r.id"), value: ({ standing }) => standing.redeemed, readsMember: true } as Term,
};
const now: Term = { sql: (names) => names.now, value: (input) => input.now, readsMember: false };
const constant = (n: number): Term => ({ sql: () => String(n), value: () => n, readsMember: false });
/** A tier's position in TIER_ORDER (BASE 0, SILVER 1, ...); the order reaches SQL as a parameter. */
const rank = (tier: Term): Term => ({
  sql: (names) => `(array_position(${names.tierOrder}, ${tier.sql(names)}) - 1)`,
  value: (input) => TIER_ORDER.indexOf(tier.value(input) as TierLevel),
  readsMember: tier.readsMember,
});

type Op = "<" | "<=" | ">" | ">=";
const COMPARE: Record<Op, (a: number, b: number) => boolean> = {
  "<": (a, b) => a < b,
  "<=": (a, b) => a <= b,
  ">": (a, b) => a > b,
  ">=": (a, b) => a >= b,
};
const comparable = (v: Value): number | null => (v instanceof Date ? v.getTime() : typeof v === "number" ? v : null);

/** `left op right`; as in SQL, a comparison with null (or anything not a number or instant) is false. */
const compare = (left: Term, op: Op, right: Term): Test => ({
  sql: (names) => `${left.sql(names)} ${op} ${right.sql(names)}`,
  holds: (input) => {
    const [a, b] = [comparable(left.value(input)), comparable(right.value(input))];
    return a !== null && b !== null && COMPARE[op](a, b);
  },
  readsMember: left.readsMember || right.readsMember,
});
const isTrue = (term: Term): Test => ({ sql: (names) => term.sql(names), holds: (input) => term.value(input) === true, readsMember: term.readsMember });
/** A null `term` means "no restriction": the test holds. */
const unlessNull = (term: Term, test: Test): Test => ({
  sql: (names) => `(${term.sql(names)} IS NULL OR ${test.sql(names)})`,
  holds: (input) => term.value(input) === null || test.holds(input),
  readsMember: term.readsMember || test.readsMember,
});

// ---- The list -------------------------------------------------------------------------------------

export type EligibilityCode = Extract<ErrorCode, "NOT_ELIGIBLE" | "OUT_OF_STOCK" | "INSUFFICIENT_POINTS">;

export interface EligibilityCondition {
  name: string;
  /** The condition failed, in a few words, as the schema descriptions list them (ELIGIBILITY_ORDER_TEXT). */
  unmet: string;
  /** The error code `redeemReward` answers when this is the first condition that fails. */
  code: EligibilityCode;
  test: Test;
  message(input: EligibilityInput): string;
}

/**
 * In this order. When several fail, `redeemReward` answers the first one's code: the reward's own state
 * first (offered, dates, stock), then the member's standing (tier, per-member limit, and points last,
 * the one a member fixes by earning). Keep README "Eligibility" and the schema descriptions in step.
 */
export const ELIGIBILITY: readonly EligibilityCondition[] = [
  {
    name: "active",
    unmet: "inactive",
    code: "NOT_ELIGIBLE",
    test: isTrue(reward.active),
    message: () => "This reward is not currently offered",
  },
  {
    name: "validFrom",
    unmet: "before validFrom",
    code: "NOT_ELIGIBLE",
    test: unlessNull(reward.validFrom, compare(reward.validFrom, "<=", now)),
    message: ({ reward }) => `This reward can be redeemed from ${reward.validFrom?.toISOString()}`,
  },
  {
    name: "validUntil",
    unmet: "after validUntil",
    code: "NOT_ELIGIBLE",
    test: unlessNull(reward.validUntil, compare(reward.validUntil, ">=", now)),
    message: ({ reward }) => `This reward could be redeemed until ${reward.validUntil?.toISOString()}`,
  },
  {
    name: "stock",
    unmet: "no stock",
    code: "OUT_OF_STOCK",
    test: unlessNull(reward.stock, compare(reward.stock, ">", constant(0))),
    message: () => "This reward is out of stock",
  },
  {
    name: "minimumTier",
    unmet: "tier too low",
    code: "NOT_ELIGIBLE",
    test: compare(rank(reward.minimumTier), "<=", rank(member.tier)),
    message: ({ reward, standing }) => `This reward needs tier ${reward.minimumTier} or above; the member is ${standing.tier}`,
  },
  {
    name: "maxPerMember",
    unmet: "maxPerMember reached",
    code: "NOT_ELIGIBLE",
    test: unlessNull(reward.maxPerMember, compare(member.redeemed, "<", reward.maxPerMember)),
    message: ({ reward }) => `This reward can be redeemed at most ${reward.maxPerMember} time(s) per member`,
  },
  {
    name: "costPoints",
    unmet: "too dear",
    code: "INSUFFICIENT_POINTS",
    test: compare(reward.costPoints, "<=", member.available),
    message: ({ reward, standing }) => `This reward costs ${reward.costPoints} points; the member has ${standing.available} available`,
  },
];

/** The list's order as `redeemReward`'s description states it: "inactive (NOT_ELIGIBLE), …, too dear (INSUFFICIENT_POINTS)". */
export const ELIGIBILITY_ORDER_TEXT = ELIGIBILITY.map((c) => `${c.unmet} (${c.code})`).join(", ");

export interface Unmet {
  condition: string;
  code: EligibilityCode;
  message: string;
}

/**
 * The first condition of the list that `reward` fails for `standing` at `now`, or null when it can be
 * redeemed. Without a standing, only the conditions before the first one that reads the member are
 * evaluated (a reward that cannot be redeemed by anyone is refused before asking other services); that
 * answer is always the one the whole list would give.
 */
export function firstUnmet(reward: EligibilityReward, standing: MemberStanding | null, now: Date): Unmet | null {
  for (const condition of ELIGIBILITY) {
    if (!standing && condition.test.readsMember) return null;
    // Only reached with a standing when the condition reads it.
    const input = { reward, standing: standing as MemberStanding, now };
    if (!condition.test.holds(input)) return { condition: condition.name, code: condition.code, message: condition.message(input) };
  }
  return null;
}

/** True when every condition holds. */
export const isEligible = (reward: EligibilityReward, standing: MemberStanding, now: Date) => firstUnmet(reward, standing, now) === null;

/**
 * The list as one SQL condition over `r` (a `rewards` row) and `m` (a row with `member_id uuid`,
 * `tier text`, `available int`), with `now` and the tier order as parameters `$first` and `$first+1`.
 */
export function eligibilityFilter(first: number, at: Date): { sql: string; params: unknown[] } {
  const names: SqlNames = { now: `$${first}::timestamptz`, tierOrder: `$${first + 1}::text[]` };
  return { sql: ELIGIBILITY.map((c) => `(${c.test.sql(names)})`).join("\n AND "), params: [at, [...TIER_ORDER]] };
}
