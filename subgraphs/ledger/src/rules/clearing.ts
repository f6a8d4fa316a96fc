/**
 * The clearing house's rules: which statement line each movement lands in, at which price, how a line
 * is rounded, and how a statement is made of its lines. Pure: no clock, no database. The valuation
 * trigger (../sql/clearing.ts) is generated from STATEMENT_LINES, and test/unit/clearing-rules.test.ts
 * checks every rule against numbers worked out by hand.
 *
 * How a movement is valued. Every posting to an account that is not a member's is classified by
 * (account kind, transaction kind, reversal reason, whether it empties one lot, whether it gives points back) into one line of STATEMENT_LINES; the partner of
 * the line is the account's owner. Its points are the posting's amount times `pointsSign`; its exact
 * value is points × price per 1,000 × (share percent, or 100), in hundred-thousandths of a minor unit
 * (VALUE_DIVISOR), summed exactly per period, partner and line. A new movement kind gets valued by
 * adding its row here (and a migration that re-installs the trigger): a movement no row matches lands
 * in the partner's OTHER line, counted in points and worth nothing, so it is visible and never lost.
 */

export type Billing = "POSTPAID" | "PREPAID";
export type PriceSource =
  /** The partner's issue price in force when the movement was posted. */
  | "ISSUE_PRICE"
  /** The partner's redemption price in force when the movement was posted. */
  | "REDEMPTION_PRICE"
  /** The issue price the reversed purchase's (or bonus's) points were charged at (its lot's price). */
  | "REVERSED_PURCHASE_PRICE"
  /** The redemption price the cancelled redemption was paid at. */
  | "REVERSED_REDEMPTION_PRICE"
  /** The emptied lot's issue price × the breakage share in force when the expiry (or an erasure's forfeit) was posted. */
  | "EXPIRED_LOT_SHARE"
  /**
   * The price and share the reversed purchase's (or bonus's) lot's expiry was credited at: a refund that
   * takes back points its lot lost to expiry takes them from the issuer's breakage (rules/refunds.ts).
   */
  | "REFUNDED_BREAKAGE"
  /**
   * What a negative adjustment took back, at the price each lot it took was charged (its `lot_takes`),
   * as a refund is credited at the price its purchase was charged; the points the member could not cover
   * (owed: no lot paid for them) at the funder's issue price in force when it was posted
   * (AdjustmentTakesAtLotPrices1734940000000; before, every point was at that price).
   */
  | "TAKEN_LOTS_PRICE"
  /** Worth nothing (the coalition's own points; movements no rule prices). */
  | "NONE";

export type StatementLineKind =
  | "PURCHASES_ISSUED"
  | "BONUSES_ISSUED"
  | "ADJUSTMENTS"
  | "REFUNDS"
  | "REDEMPTIONS"
  | "REDEMPTION_CANCELLATIONS"
  | "BREAKAGE"
  | "OTHER";

/** Which statement figure a line's points count toward. */
export type StatementFigure = "issued" | "reversed" | "redeemed" | "expired" | "other";

export interface StatementLineRule {
  line: StatementLineKind;
  accountKind: "PARTNER_ISSUANCE" | "PARTNER_REDEMPTION" | "PARTNER_BREAKAGE" | "COALITION_ISSUANCE";
  transactionKind: string;
  reversalReason: string | null;
  /**
   * Only movements that empty one lot (`transactions.expired_lot_id` set): an erasure's forfeit, one
   * ADJUSTMENT per lot since ErasureForfeitsAsBreakage1734830000000. Absent: any movement of the kinds above.
   */
  emptiesOneLot?: true;
  /**
   * Only postings that give points back to the account (a positive amount on an issuance account: a
   * negative adjustment taking them from the member). Absent: either way.
   */
  takesBack?: true;
  /** Points of the line = posting amount × this (issuing debits the issuance account: −1). */
  pointsSign: 1 | -1;
  /** +1: the partner owes the coalition for it; −1: the coalition owes the partner. */
  moneySign: 1 | -1;
  price: PriceSource;
  figure: StatementFigure;
  /** Redeemed points net of cancellations: a cancellation counts against the redeemed figure. */
  figureSign: 1 | -1;
}

/** Every valued movement. Order is the order of a statement's lines. */
export const STATEMENT_LINES: readonly StatementLineRule[] = [
  { line: "PURCHASES_ISSUED", accountKind: "PARTNER_ISSUANCE", transactionKind: "EARN", reversalReason: null, pointsSign: -1, moneySign: 1, price: "ISSUE_PRICE", figure: "issued", figureSign: 1 },
  { line: "BONUSES_ISSUED", accountKind: "PARTNER_ISSUANCE", transactionKind: "BONUS", reversalReason: null, pointsSign: -1, moneySign: 1, price: "ISSUE_PRICE", figure: "issued", figureSign: 1 },
  // A refund's share of a bonus, given back to its funder (+points to the issuance account): off the bonus line, at the price the bonus was charged.
  { line: "BONUSES_ISSUED", accountKind: "PARTNER_ISSUANCE", transactionKind: "BONUS", reversalReason: "PURCHASE_REFUND", pointsSign: -1, moneySign: 1, price: "REVERSED_PURCHASE_PRICE", figure: "issued", figureSign: 1 },
  // A negative adjustment the partner funds: credited at the prices of the lots it took (before the row below, which would match it too).
  { line: "ADJUSTMENTS", accountKind: "PARTNER_ISSUANCE", transactionKind: "ADJUSTMENT", reversalReason: null, takesBack: true, pointsSign: -1, moneySign: 1, price: "TAKEN_LOTS_PRICE", figure: "issued", figureSign: 1 },
  { line: "ADJUSTMENTS", accountKind: "PARTNER_ISSUANCE", transactionKind: "ADJUSTMENT", reversalReason: null, pointsSign: -1, moneySign: 1, price: "ISSUE_PRICE", figure: "issued", figureSign: 1 },
  { line: "REFUNDS", accountKind: "PARTNER_ISSUANCE", transactionKind: "REVERSAL", reversalReason: "PURCHASE_REFUND", pointsSign: 1, moneySign: -1, price: "REVERSED_PURCHASE_PRICE", figure: "reversed", figureSign: 1 },
  { line: "REDEMPTIONS", accountKind: "PARTNER_REDEMPTION", transactionKind: "REDEEM", reversalReason: null, pointsSign: 1, moneySign: -1, price: "REDEMPTION_PRICE", figure: "redeemed", figureSign: 1 },
  { line: "REDEMPTION_CANCELLATIONS", accountKind: "PARTNER_REDEMPTION", transactionKind: "REVERSAL", reversalReason: "REDEMPTION_CANCELLED", pointsSign: -1, moneySign: 1, price: "REVERSED_REDEMPTION_PRICE", figure: "redeemed", figureSign: -1 },
  { line: "BREAKAGE", accountKind: "PARTNER_BREAKAGE", transactionKind: "EXPIRY", reversalReason: null, pointsSign: 1, moneySign: -1, price: "EXPIRED_LOT_SHARE", figure: "expired", figureSign: 1 },
  // An erased member's lot, forfeited (rules/erasure.ts): points that will never be redeemed, breakage as if they had expired.
  // The erasures before it forfeited every lot in one ADJUSTMENT, with no lot to price it by: they stay OTHER, as they were valued.
  { line: "BREAKAGE", accountKind: "PARTNER_BREAKAGE", transactionKind: "ADJUSTMENT", reversalReason: null, emptiesOneLot: true, pointsSign: 1, moneySign: -1, price: "EXPIRED_LOT_SHARE", figure: "expired", figureSign: 1 },
  // A refund's points that its purchase's (or bonus's) lot had lost to expiry, taken back from the breakage (−points
  // to the breakage account: rules/refunds.ts), at the price and share that expiry was credited at: the issuer is
  // credited a refunded point once, whenever it expired (RefundsTakeBackBreakage1734890000003).
  { line: "BREAKAGE", accountKind: "PARTNER_BREAKAGE", transactionKind: "REVERSAL", reversalReason: "PURCHASE_REFUND", pointsSign: 1, moneySign: -1, price: "REFUNDED_BREAKAGE", figure: "expired", figureSign: 1 },
  { line: "BREAKAGE", accountKind: "PARTNER_BREAKAGE", transactionKind: "BONUS", reversalReason: "PURCHASE_REFUND", pointsSign: 1, moneySign: -1, price: "REFUNDED_BREAKAGE", figure: "expired", figureSign: 1 },
  // The coalition's own points (COALITION_ISSUANCE): counted, never charged; it has no statement.
  { line: "BONUSES_ISSUED", accountKind: "COALITION_ISSUANCE", transactionKind: "BONUS", reversalReason: null, pointsSign: -1, moneySign: 1, price: "NONE", figure: "issued", figureSign: 1 },
  { line: "BONUSES_ISSUED", accountKind: "COALITION_ISSUANCE", transactionKind: "BONUS", reversalReason: "PURCHASE_REFUND", pointsSign: -1, moneySign: 1, price: "NONE", figure: "issued", figureSign: 1 },
  { line: "ADJUSTMENTS", accountKind: "COALITION_ISSUANCE", transactionKind: "ADJUSTMENT", reversalReason: null, pointsSign: -1, moneySign: 1, price: "NONE", figure: "issued", figureSign: 1 },
];

export const LINE_ORDER: readonly StatementLineKind[] = [
  "PURCHASES_ISSUED", "BONUSES_ISSUED", "ADJUSTMENTS", "REFUNDS", "REDEMPTIONS", "REDEMPTION_CANCELLATIONS", "BREAKAGE", "OTHER",
];

/** The sign of money and figures for a line, whoever's it is (OTHER is worth nothing and counts in `other`). */
export function lineRule(line: StatementLineKind): Pick<StatementLineRule, "moneySign" | "figure" | "figureSign"> {
  const rule = STATEMENT_LINES.find((r) => r.line === line);
  return rule ?? { moneySign: 1, figure: "other", figureSign: 1 };
}

/** Exact values are kept in hundred-thousandths of a minor unit: points × price per 1,000 × percent. */
export const VALUE_DIVISOR = 100_000n;

/** The exact value of `points` at `pricePer1000`, taking `percent` of it (100 = the whole price), in 1/100,000 minor units. */
export const exactValue = (points: bigint, pricePer1000: bigint, percent: bigint = 100n): bigint => points * pricePer1000 * percent;

/**
 * The exact value of a negative adjustment (TAKEN_LOTS_PRICE): `points` (negative: taken back), of which
 * `taken` came from lots whose exact charged value is `takenValue` (each lot's points at its own price),
 * the rest (owed) at `pricePer1000`. For example 60 taken back, 50 of them from a lot charged 777 and 10
 * owed at 3,000: −(50 × 777 + 10 × 3,000) × 100 = −6,885,000. The valuation trigger's SQL is the same
 * formula over `exactValueSql` (sql/clearing.ts `valueOf`).
 */
export const takenBackValue = (points: bigint, taken: bigint, takenValue: bigint, pricePer1000: bigint): bigint =>
  exactValue(points + taken, pricePer1000) - takenValue;

/**
 * Rounds a line's exact value to minor units, ONCE per statement line: to the nearest, halves away
 * from zero (2.5 → 3, −2.5 → −3). Totals are sums of rounded lines, never rounded again.
 */
export function roundLine(exact: bigint): bigint {
  const sign = exact < 0n ? -1n : 1n;
  const magnitude = exact * sign;
  return sign * ((magnitude * 2n + VALUE_DIVISOR) / (VALUE_DIVISOR * 2n));
}

export interface LineTotal {
  line: StatementLineKind;
  points: bigint;
  /** Exact value, in 1/100,000 minor units (unsigned by the money direction: see moneySign). */
  value: bigint;
}

export interface StatementLine {
  line: StatementLineKind;
  points: number;
  /** Rounded, signed: positive is owed by the partner to the coalition. */
  amount: number;
}

export interface StatementFigures {
  lines: StatementLine[];
  pointsIssued: number;
  pointsReversed: number;
  pointsRedeemed: number;
  pointsExpired: number;
  issuedAmount: number;
  reversedAmount: number;
  redeemedAmount: number;
  expiredAmount: number;
  netAmount: number;
}

/** A JavaScript number for a SafeInt figure: refused past 2^53 − 1 rather than rounded. */
export function safe(value: bigint, what: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`${what} is past 2^53 - 1: ${value}`);
  return Number(value);
}

/**
 * A partner's statement from its line totals: each line rounded once and signed (charges +, credits −);
 * each figure the sum of its lines' points (redeemed net of cancellations) and amounts; net = sum of every line.
 */
export function statementFigures(totals: LineTotal[]): StatementFigures {
  const byLine = new Map<StatementLineKind, { points: bigint; value: bigint }>();
  for (const t of totals) {
    const sum = byLine.get(t.line) ?? { points: 0n, value: 0n };
    byLine.set(t.line, { points: sum.points + t.points, value: sum.value + t.value });
  }
  const figures = { issued: [0n, 0n], reversed: [0n, 0n], redeemed: [0n, 0n], expired: [0n, 0n], other: [0n, 0n] };
  let net = 0n;
  const lines: StatementLine[] = [];
  for (const line of LINE_ORDER) {
    const sum = byLine.get(line);
    if (!sum) continue;
    const rule = lineRule(line);
    const amount = BigInt(rule.moneySign) * roundLine(sum.value);
    const figure = figures[rule.figure];
    figure[0] += BigInt(rule.figureSign) * sum.points;
    figure[1] += amount;
    net += amount;
    lines.push({ line, points: safe(sum.points, `${line} points`), amount: safe(amount, `${line} amount`) });
  }
  return {
    lines,
    pointsIssued: safe(figures.issued[0], "points issued"),
    pointsReversed: safe(figures.reversed[0], "points reversed"),
    pointsRedeemed: safe(figures.redeemed[0], "points redeemed"),
    pointsExpired: safe(figures.expired[0], "points expired"),
    issuedAmount: safe(figures.issued[1], "issued amount"),
    reversedAmount: safe(figures.reversed[1], "reversed amount"),
    redeemedAmount: safe(figures.redeemed[1], "redeemed amount"),
    expiredAmount: safe(figures.expired[1], "expired amount"),
    netAmount: safe(net, "net amount"),
  };
}
