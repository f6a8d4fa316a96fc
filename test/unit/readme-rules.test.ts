import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  ADJUSTMENT_REASONS,
  DEFAULT_POINTS_EXPIRY_MONTHS,
  DEFAULT_TRANSFER_DAILY_LIMIT,
  EXPIRING_SOON_DAYS,
  MAX_ADJUSTMENT_NOTE_LENGTH,
  MAX_ADJUSTMENT_POINTS,
  MAX_AFTER_PURCHASE_DAYS,
  MAX_BONUS_PERCENT,
  MAX_CAMPAIGN_DAYS,
  MAX_CAMPAIGN_NAME,
  MAX_CAMPAIGN_SCOPE,
  MAX_AMOUNT_MINOR,
  MAX_BACKDATE_DAYS,
  MAX_BONUS_POINTS,
  MAX_RETURN_WINDOW_DAYS,
  MAX_TRANSFER_POINTS,
  MEMBER_POINTS_CAP,
  MIN_POINTS_EXPIRY_MONTHS,
  QUALIFYING_WINDOW_MONTHS,
  REFERRAL_BONUS_POINTS_DEFAULT,
  REFERRAL_MAX_PER_MEMBER_DEFAULT,
  TIER_MULTIPLIER_PERCENT,
  TIER_THRESHOLDS,
  awardFor,
  fundedFromAllowance,
  percentBonus,
  pointsAtTier,
  shareOf,
} from "../../subgraphs/ledger/src/rules";
import { MAX_POINTS_PER_UNIT } from "../../subgraphs/partners/src/rules/earn-rule";
import { MAX_COST_POINTS, MAX_PER_MEMBER_LIMIT, MAX_STOCK } from "../../subgraphs/catalog/src/rules/reward-limits";

/**
 * The README states the program's rules in prose, with their numbers and worked examples. Each
 * sentence below is written from the rules module (subgraphs/ledger/src/rules), so changing a rule
 * fails here until the README says the new number: a README that disagrees with the code is a bug
 * for every partner reading it. Pure: reads README.md and the rules, nothing else.
 */
const README = readFileSync(join(__dirname, "../../README.md"), "utf8").replace(/\s+/g, " ");
const n = (value: number) => value.toLocaleString("en-US");
const says = (sentence: string) => expect(README).toContain(sentence);
const top = TIER_THRESHOLDS[TIER_THRESHOLDS.length - 1];

describe("the README's rule numbers are the rules'", () => {
  it("tiers: thresholds, multipliers, the rounding example, the window, the Ranges row", () => {
    says(`${TIER_THRESHOLDS.slice(1).map((t) => `${t.tier} at ${n(t.threshold)}`).join(", ")}.`);
    const multiplier = (tier: keyof typeof TIER_MULTIPLIER_PERCENT) => {
      const x = TIER_MULTIPLIER_PERCENT[tier] / 100;
      return Number.isInteger(x) ? x.toFixed(1) : String(x);
    };
    says(`(${TIER_THRESHOLDS.map((t) => `${t.tier} ${multiplier(t.tier)}`).join(", ")}: points = floor(base × percent / 100), so 3 base points at SILVER earn ${pointsAtTier(3, "SILVER")};`);
    says(`purchases made in the trailing ${QUALIFYING_WINDOW_MONTHS} months, to the second`);
    says(`| \`TierProgress.nextThreshold\`, \`pointsToNext\` | \`Int\` | 0 to ${n(top.threshold)} | the tier table |`);
  });

  it("late purchases, return windows and expiry", () => {
    says(`An optional \`occurredAt\` (up to ${MAX_BACKDATE_DAYS} days back) records a late purchase.`);
    says(`Points expire \`POINTS_EXPIRY_MONTHS\` (${DEFAULT_POINTS_EXPIRY_MONTHS}) calendar months after they were earned`);
    says(`a referrer's bonus is earned when it is posted`);
    says(`\`balance.expiringSoon\` lists what expires in the next ${EXPIRING_SOON_DAYS} days.`);
    says(
      `| \`POINTS_EXPIRY_MONTHS\` | \`${DEFAULT_POINTS_EXPIRY_MONTHS}\` | lifetime of earned points, at least ${MIN_POINTS_EXPIRY_MONTHS} (points must outlive the longest return window, ${MAX_RETURN_WINDOW_DAYS} days)`,
    );
  });

  it("the member cap, where it lives, and the largest purchase", () => {
    says(`\`MEMBER_POINTS_CAP\` = ${n(MEMBER_POINTS_CAP)} (\`subgraphs/ledger/src/rules/cap.ts\`, the one place the number lives;`);
    const topPercent = TIER_MULTIPLIER_PERCENT[top.tier];
    const maxBase = (MAX_AMOUNT_MINOR / 100) * MAX_POINTS_PER_UNIT;
    says(
      `| one purchase's points | \`Int\` | 0 to ${n(pointsAtTier(maxBase, top.tier))} today | \`amountMinor\` 1 to ${n(MAX_AMOUNT_MINOR)} and \`pointsPerUnit\` at most ${n(MAX_POINTS_PER_UNIT)} make at most ${n(maxBase)} base points, ×${topPercent / 100} at ${top.tier};`,
    );
  });

  it("transfers", () => {
    says(`at most \`TRANSFER_DAILY_LIMIT\` (${n(DEFAULT_TRANSFER_DAILY_LIMIT)}) a sender a UTC day`);
    says(`| \`TRANSFER_DAILY_LIMIT\` | \`${DEFAULT_TRANSFER_DAILY_LIMIT}\` |`);
    says(`a transfer at most ${n(MAX_TRANSFER_POINTS)}`);
    says(`| \`transferPoints\` \`points\` | \`Int\` | 1 to ${n(MAX_TRANSFER_POINTS)} |`);
  });

  it("refunds: the thirds example", () => {
    const cumulative = [1, 2, 3].map((k) => shareOf(10, k, 3));
    says(`(10 points refunded in thirds: ${cumulative[0]}, ${cumulative[1] - cumulative[0]}, then ${cumulative[2] - cumulative[1]})`);
  });

  it("campaigns and referrals: rounding, cuts and defaults", () => {
    says(`before the tier bonus; 19 base points at 50 % give ${percentBonus(19, 50)})`);
    says(`(a 50-point bonus with 30 left in the budget awards ${awardFor(50, 30, null)};`);
    says(`100 left and bonuses of 60, 60, 60 give ${fundedFromAllowance(100, [60, 60, 60]).join(", ")})`);
    says(`fit under the points cap (${n(MEMBER_POINTS_CAP)}) together or are not awarded at all`);
    says(`(a 50-point bonus: ${shareOf(50, 1, 3)} after refunding a third of the purchase, the other ${50 - shareOf(50, 1, 3)} at the end)`);
    says(
      `\`name\` 1–${MAX_CAMPAIGN_NAME} characters; \`endsAt\` after \`startsAt\`, in the future, at most ${MAX_CAMPAIGN_DAYS} days after; exactly one ` +
        `of \`bonusPercent\` (1–${n(MAX_BONUS_PERCENT)}) and \`bonusPoints\` (1–${n(MAX_BONUS_POINTS)}); \`afterPurchaseAtPartnerId\` and \`afterPurchaseWithinDays\` (1–${MAX_AFTER_PURCHASE_DAYS}) ` +
        `together; \`minAmountMinor ≥ 0\`; \`budgetPoints\`, \`maxBonusPerMember ≥ 1\`; at most ${MAX_CAMPAIGN_SCOPE} partners;`,
    );
    says(
      `| \`REFERRAL_BONUS_POINTS\`, \`REFERRAL_MAX_PER_MEMBER\` | \`${REFERRAL_BONUS_POINTS_DEFAULT}\`, \`${REFERRAL_MAX_PER_MEMBER_DEFAULT}\` | the ledger's referral bonus (each of the two members, 1 to ${n(MAX_BONUS_POINTS)})`,
    );
  });

  it("adjustments", () => {
    says(`at most ${n(MAX_ADJUSTMENT_POINTS)} either way; \`reason\` is ${ADJUSTMENT_REASONS.slice(0, -1).map((r) => `\`${r}\``).join(", ")} or \`${ADJUSTMENT_REASONS[ADJUSTMENT_REASONS.length - 1]}\`; \`note\` (1 to ${MAX_ADJUSTMENT_NOTE_LENGTH} characters)`);
  });

  it("rewards (the catalog's limits)", () => {
    says(`| \`Reward.costPoints\`, \`Redemption.pointsSpent\` | \`Int\` | 1 to ${n(MAX_COST_POINTS)} | input check |`);
    says(`| \`Reward.stock\`, \`maxPerMember\` | \`Int\` | 0 to ${n(MAX_STOCK)}; 1 to ${n(MAX_PER_MEMBER_LIMIT)} | input check |`);
  });
});
