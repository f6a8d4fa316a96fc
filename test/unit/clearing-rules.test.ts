import { createHash } from "node:crypto";
import {
  GENESIS_HASH,
  STATEMENT_LINES,
  breakageRate,
  canonicalJson,
  counterpartsOf,
  exactValue,
  liabilityValue,
  outstanding,
  outstandingPoints,
  parsePeriod,
  periodEnd,
  periodHasEnded,
  periodOf,
  postingTime,
  previousPeriod,
  reportTotals,
  roundLine,
  prepaidTopUpRefusal,
  settlementCurrencyConflict,
  settlementCurrencyForTools,
  settlementCurrencyOf,
  statementFigures,
  statementRecord,
  takenBackValue,
} from "../../subgraphs/ledger/src/rules";
import { chainHash } from "../../subgraphs/ledger/src/clearing/hash-chain";
import { CLEARING_VALUE_POSTINGS } from "../../subgraphs/ledger/src/sql/clearing";

/** The clearing house's pure rules (subgraphs/ledger/src/rules/clearing*.ts), against numbers worked out by hand. */

describe("valuing a movement", () => {
  it("keeps exact values in 1/100,000 minor units: points × price per 1,000 × percent", () => {
    // 1,234 points at 15.00 € per 1,000 (1,500 cents) = 18.51 € = 1,851 cents exactly.
    expect(exactValue(1234n, 1500n)).toBe(185_100_000n);
    expect(roundLine(exactValue(1234n, 1500n))).toBe(1851n);
    // Breakage: 333 points charged at 10.00 € per 1,000, 50% share back = 1.665 € → 167 cents.
    expect(exactValue(333n, 1000n, 50n)).toBe(16_650_000n);
    expect(roundLine(16_650_000n)).toBe(167n);
  });

  it("credits a negative adjustment's lots at their own prices, what is owed at the funder's: takenBackValue", () => {
    // 101 taken back, all from a lot charged 1,234: −101 × 1,234 × 100 = −12,463,400 (−124.634 → −125 cents), whatever the price now.
    expect(takenBackValue(-101n, 101n, 12_463_400n, 3_000n)).toBe(-12_463_400n);
    // 60 taken back: 50 from a lot charged 777 (3,885,000), 10 owed at the funder's 3,000: −(3,885,000 + 3,000,000) = −6,885,000.
    expect(takenBackValue(-60n, 50n, 3_885_000n, 3_000n)).toBe(-6_885_000n);
    // Nothing taken from lots (the member held nothing): all owed, at the funder's price: −10 × 3,000 × 100.
    expect(takenBackValue(-10n, 0n, 0n, 3_000n)).toBe(-3_000_000n);
    expect(roundLine(-12_463_400n - 6_885_000n)).toBe(-193n); // the two on one line: −193.484 → −193
  });

  it("counts a lot as outstanding while it holds points and is not past its expiry: outstandingPoints", () => {
    const now = new Date("2026-06-15T12:00:00Z");
    const lot = (remaining: number, expiresAt: Date, issuePricePer1000: number | null = 1_500) => ({ remaining, expiresAt, issuePricePer1000 });
    expect(outstandingPoints(lot(100, new Date(now.getTime() + 1)), now)).toBe(100);
    // Expiring at now, or before: past expiry (never spendable), whether or not the expiry run has posted it.
    expect(outstandingPoints(lot(100, now), now)).toBe(0);
    expect(outstandingPoints(lot(100, new Date(now.getTime() - 1)), now)).toBe(0);
    expect(outstandingPoints(lot(0, new Date(now.getTime() + 1)), now)).toBe(0);
    // 100 at 1,500 and 7 at 2,001, an unpriced 5 (0), 40 past expiry: 107 + 5 = 112 points, 15,000,000 + 1,400,700 = 16,400,700.
    const later = new Date("2027-01-01T00:00:00Z");
    expect(outstanding([lot(100, later), lot(7, later, 2_001), lot(5, later, null), lot(40, now)], now)).toEqual({ points: 112n, charged: 16_400_700n });
    expect(liabilityValue(16_400_700n)).toBe(164); // 164.007 cents
  });

  it("rounds a line once, to the nearest minor unit, halves away from zero", () => {
    expect(roundLine(250_000n)).toBe(3n); // 2.5
    expect(roundLine(-250_000n)).toBe(-3n); // -2.5
    expect(roundLine(249_999n)).toBe(2n); // 2.49999
    expect(roundLine(150_000n)).toBe(2n); // 1.5
    expect(roundLine(149_999n)).toBe(1n);
    expect(roundLine(49_999n)).toBe(0n);
    expect(roundLine(0n)).toBe(0n);
  });

  it("rounds the line's sum, not each movement: 1,500 single points at 1 cent per 1,000 are 2 cents, not 0", () => {
    const one = exactValue(1n, 1n); // 0.001 cent each: each would round to 0
    expect(roundLine(one)).toBe(0n);
    expect(roundLine(one * 1500n)).toBe(2n); // 1.5 cents → 2
  });

  it("classifies each movement into its line with the right signs", () => {
    const rule = (account: string, kind: string, reason: string | null = null) =>
      STATEMENT_LINES.find((r) => r.accountKind === account && r.transactionKind === kind && r.reversalReason === reason);
    // An EARN debits the issuer's issuance account: −100 posted is 100 points issued, charged to the partner.
    expect(rule("PARTNER_ISSUANCE", "EARN")).toMatchObject({ line: "PURCHASES_ISSUED", pointsSign: -1, moneySign: 1, price: "ISSUE_PRICE" });
    expect(rule("PARTNER_ISSUANCE", "BONUS")).toMatchObject({ line: "BONUSES_ISSUED", pointsSign: -1, moneySign: 1 });
    expect(rule("PARTNER_ISSUANCE", "REVERSAL", "PURCHASE_REFUND")).toMatchObject({ line: "REFUNDS", pointsSign: 1, moneySign: -1, price: "REVERSED_PURCHASE_PRICE" });
    expect(rule("PARTNER_REDEMPTION", "REDEEM")).toMatchObject({ line: "REDEMPTIONS", pointsSign: 1, moneySign: -1, price: "REDEMPTION_PRICE" });
    expect(rule("PARTNER_REDEMPTION", "REVERSAL", "REDEMPTION_CANCELLED")).toMatchObject({ line: "REDEMPTION_CANCELLATIONS", pointsSign: -1, moneySign: 1 });
    expect(rule("PARTNER_BREAKAGE", "EXPIRY")).toMatchObject({ line: "BREAKAGE", moneySign: -1, price: "EXPIRED_LOT_SHARE" });
    expect(rule("COALITION_ISSUANCE", "BONUS")).toMatchObject({ price: "NONE" });
    // A refund's share of a bonus (+100 back to the funder's issuance account) is −100 on the bonus line, at the bonus's own price.
    expect(rule("PARTNER_ISSUANCE", "BONUS", "PURCHASE_REFUND")).toMatchObject({ line: "BONUSES_ISSUED", pointsSign: -1, moneySign: 1, price: "REVERSED_PURCHASE_PRICE" });
    expect(rule("COALITION_ISSUANCE", "BONUS", "PURCHASE_REFUND")).toMatchObject({ line: "BONUSES_ISSUED", price: "NONE" });
    // Transfers post only to members: no rule, no money.
    expect(STATEMENT_LINES.some((r) => r.transactionKind === "TRANSFER")).toBe(false);
  });

  it("generates the trigger's classification from the table (one WHEN per rule)", () => {
    for (const r of STATEMENT_LINES) expect(CLEARING_VALUE_POSTINGS.body).toContain(`m.account_kind = '${r.accountKind}' AND m.tx_kind = '${r.transactionKind}'`);
    // A rule for movements that empty one lot (an erasure's forfeit) says so; the rest match any movement of their kinds.
    expect(CLEARING_VALUE_POSTINGS.body).toContain(
      "WHEN m.account_kind = 'PARTNER_BREAKAGE' AND m.tx_kind = 'ADJUSTMENT' AND m.reversal_reason IS NOT DISTINCT FROM NULL AND m.expired_lot_id IS NOT NULL THEN 'BREAKAGE'",
    );
    expect(CLEARING_VALUE_POSTINGS.body).toContain("WHEN m.account_kind = 'PARTNER_BREAKAGE' AND m.tx_kind = 'EXPIRY' AND m.reversal_reason IS NOT DISTINCT FROM NULL THEN 'BREAKAGE'");
  });
});

describe("a statement from its line totals", () => {
  it("signs and rounds each line, nets redemptions of cancellations, and sums lines into totals", () => {
    const figures = statementFigures([
      { line: "PURCHASES_ISSUED", points: 1000n, value: exactValue(1000n, 1500n) }, // 15.00 € charged
      { line: "REFUNDS", points: 200n, value: exactValue(200n, 1500n) }, // 3.00 € credited
      { line: "REDEMPTIONS", points: 300n, value: exactValue(300n, 800n) }, // 2.40 € paid
      { line: "REDEMPTION_CANCELLATIONS", points: 100n, value: exactValue(100n, 800n) }, // 0.80 € taken back
      { line: "BREAKAGE", points: 333n, value: exactValue(333n, 1000n, 50n) }, // 1.665 → 1.67 € credited
    ]);
    expect(figures).toEqual({
      lines: [
        { line: "PURCHASES_ISSUED", points: 1000, amount: 1500 },
        { line: "REFUNDS", points: 200, amount: -300 },
        { line: "REDEMPTIONS", points: 300, amount: -240 },
        { line: "REDEMPTION_CANCELLATIONS", points: 100, amount: 80 },
        { line: "BREAKAGE", points: 333, amount: -167 },
      ],
      pointsIssued: 1000,
      pointsReversed: 200,
      pointsRedeemed: 200,
      pointsExpired: 333,
      issuedAmount: 1500,
      reversedAmount: -300,
      redeemedAmount: -160,
      expiredAmount: -167,
      netAmount: 873, // 1500 − 300 − 240 + 80 − 167
    });
  });

  it("counts purchases, bonuses and adjustments as issued, each its own line", () => {
    const figures = statementFigures([
      { line: "BONUSES_ISSUED", points: 50n, value: exactValue(50n, 1000n) }, // 50 points at 10.00 € per 1,000: 0.50 €
      { line: "PURCHASES_ISSUED", points: 100n, value: exactValue(100n, 1000n) }, // 1.00 €
      { line: "ADJUSTMENTS", points: -20n, value: exactValue(-20n, 1000n) }, // −0.20 € (points back to the partner)
    ]);
    expect(figures.lines.map((l) => l.line)).toEqual(["PURCHASES_ISSUED", "BONUSES_ISSUED", "ADJUSTMENTS"]);
    expect(figures.pointsIssued).toBe(130);
    expect(figures.lines.map((l) => l.amount)).toEqual([100, 50, -20]);
    expect(figures.issuedAmount).toBe(130);
    expect(figures.netAmount).toBe(130);
  });

  it("refuses a figure past 2^53 − 1 rather than rounding it", () => {
    expect(() => statementFigures([{ line: "PURCHASES_ISSUED", points: 2n ** 53n, value: 0n }])).toThrow(/2\^53/);
  });

  it("lists counterparts both ways, by partner id, netting cancellations and leaving out self-redemptions", () => {
    const cells = [
      { issuerId: "a", redeemerId: "b", points: 300n },
      { issuerId: "b", redeemerId: "a", points: 40n },
      { issuerId: "a", redeemerId: "a", points: 999n },
      { issuerId: "c", redeemerId: "a", points: 10n },
      { issuerId: "c", redeemerId: "b", points: 7n },
      { issuerId: "a", redeemerId: "d", points: 0n },
    ];
    expect(counterpartsOf("a", cells)).toEqual([
      { partnerId: "b", pointsIssuedRedeemedThere: 300, pointsRedeemedHereIssuedThere: 40 },
      { partnerId: "c", pointsIssuedRedeemedThere: 0, pointsRedeemedHereIssuedThere: 10 },
    ]);
  });

  it("totals a report: money in is the charges, money out the credits, margin the difference", () => {
    const a = statementRecord("2026-11", "a", "EUR", [{ line: "PURCHASES_ISSUED", points: 1000n, value: exactValue(1000n, 1000n) }], []); // +10.00
    const b = statementRecord("2026-11", "b", "EUR", [
      { line: "REDEMPTIONS", points: 500n, value: exactValue(500n, 900n) }, // −4.50
      { line: "REDEMPTION_CANCELLATIONS", points: 100n, value: exactValue(100n, 900n) }, // +0.90
    ], []);
    expect(reportTotals([a, b], 25n)).toEqual({ moneyIn: 1090, moneyOut: 450, margin: 640, coalitionPointsIssued: 25 });
  });

  it("values liability once and estimates breakage as expired ÷ (expired + redeemed)", () => {
    expect(liabilityValue(exactValue(700n, 1500n))).toBe(1050);
    expect(breakageRate(28n, 72n)).toBe(0.28);
    expect(breakageRate(0n, 0n)).toBeNull();
    // Refunds that took back more expired points than expired in the window (expiry before it): none expired, never a negative rate.
    expect(breakageRate(-500n, 1_000n)).toBe(0);
    expect(breakageRate(-500n, 0n)).toBeNull();
  });
});

describe("periods, currency and hashes", () => {
  it("reads YYYY-MM months in UTC and nothing else", () => {
    expect(parsePeriod("2026-11")).toEqual(new Date("2026-11-01T00:00:00Z"));
    for (const bad of ["2026-13", "2026-00", "2026-1", "26-11", "2026-11-01", "1999-12", "", "2026-11\u0000", " 2026-11"]) expect(parsePeriod(bad)).toBeNull();
    expect(periodOf(new Date("2026-11-30T23:59:59.999Z"))).toBe("2026-11");
    expect(periodEnd(new Date("2026-12-01T00:00:00Z"))).toEqual(new Date("2027-01-01T00:00:00Z"));
    expect(previousPeriod(new Date("2026-01-01T00:00:00Z"))).toEqual(new Date("2025-12-01T00:00:00Z"));
  });

  it("lets a month close only once it is over", () => {
    const november = new Date("2026-11-01T00:00:00Z");
    expect(periodHasEnded(november, new Date("2026-11-30T23:59:59.999Z"))).toBe(false);
    expect(periodHasEnded(november, new Date("2026-12-01T00:00:00Z"))).toBe(true);
  });

  it("posts a run as of an earlier instant when it writes (never into a past month), a later one as of it", () => {
    const clock = new Date("2026-12-06T12:00:00Z");
    expect(postingTime(new Date("2026-11-30T23:00:00Z"), clock)).toEqual(clock); // catching up: December's, not November's
    expect(postingTime(clock, clock)).toEqual(clock);
    expect(postingTime(new Date("2027-01-01T00:00:00Z"), clock)).toEqual(new Date("2027-01-01T00:00:00Z")); // --allow-future (a test database)
  });

  it("takes SETTLEMENT_CURRENCY as three capital letters, EUR by default", () => {
    expect(settlementCurrencyOf(undefined)).toBe("EUR");
    expect(settlementCurrencyOf("GBP")).toBe("GBP");
    expect(() => settlementCurrencyOf("euro")).toThrow(/SETTLEMENT_CURRENCY/);
  });

  it("keeps the currency a ledger's terms and statements are in: a fresh ledger takes the setting's, one with nothing priced may change", () => {
    expect(settlementCurrencyConflict(null, "USD", false, true)).toBeNull(); // nothing recorded yet: USD is recorded
    expect(settlementCurrencyConflict(null, "EUR", false, false)).toBeNull(); // a fresh database: the default EUR is recorded
    expect(settlementCurrencyConflict("EUR", "EUR", true, true)).toBeNull();
    expect(settlementCurrencyConflict("EUR", "EUR", true, false)).toBeNull(); // the default agrees with the recorded EUR
    expect(settlementCurrencyConflict("EUR", "USD", false, true)).toBeNull(); // no terms, no closed period: no amount in EUR
    const refused = settlementCurrencyConflict("EUR", "USD", true, true);
    expect(refused).toContain("SETTLEMENT_CURRENCY is USD but this ledger's terms and statements are in EUR");
    expect(refused).toContain("Set SETTLEMENT_CURRENCY=EUR");
    // USD recorded, SETTLEMENT_CURRENCY unset: the default EUR is another currency.
    expect(settlementCurrencyConflict("USD", "EUR", true, false)).toContain("SETTLEMENT_CURRENCY is EUR (the default: it is not set) but this ledger's terms and statements are in USD");
  });

  it("takes no default for amounts from before the currency was recorded: the operator names theirs", () => {
    // Upgraded: terms or closed periods, nothing recorded. Unset, the default EUR could be wrong for good.
    const unnamed = settlementCurrencyConflict(null, "EUR", true, false);
    expect(unnamed).toContain("SETTLEMENT_CURRENCY is not set and this ledger's database has terms or closed periods but no settlement currency recorded");
    expect(unnamed).toContain("Set SETTLEMENT_CURRENCY to the currency they are in");
    // Named (even EUR itself, explicitly): the operator vouches, and it is recorded.
    expect(settlementCurrencyConflict(null, "EUR", true, true)).toBeNull();
    expect(settlementCurrencyConflict(null, "USD", true, true)).toBeNull();
  });

  it("gives operator tools the recorded currency, and refuses what the ledger's start would refuse", () => {
    expect(settlementCurrencyForTools("USD", "EUR", true, false)).toEqual({ currency: "USD" }); // unset: the recorded USD, not the default
    expect(settlementCurrencyForTools("USD", "USD", true, true)).toEqual({ currency: "USD" });
    expect(settlementCurrencyForTools("USD", "GBP", true, true)).toEqual({ refusal: expect.stringContaining("SETTLEMENT_CURRENCY is GBP but this ledger's terms and statements are in USD") });
    expect(settlementCurrencyForTools("USD", "GBP", false, true)).toEqual({ currency: "GBP" }); // nothing priced: the next start records GBP
    expect(settlementCurrencyForTools(null, "EUR", false, false)).toEqual({ currency: "EUR" });
    expect(settlementCurrencyForTools(null, "USD", true, true)).toEqual({ currency: "USD" });
    expect(settlementCurrencyForTools(null, "EUR", true, false)).toEqual({ refusal: expect.stringContaining("no settlement currency recorded") });
  });

  it("tops up only a partner PREPAID now, naming when its next PREPAID terms start", () => {
    expect(prepaidTopUpRefusal("PREPAID", null)).toBeNull();
    expect(prepaidTopUpRefusal("PREPAID", new Date("2027-01-01T00:00:00Z"))).toBeNull();
    expect(prepaidTopUpRefusal("POSTPAID", new Date("2027-01-01T00:00:00Z"))).toContain("PREPAID from 2027-01-01T00:00:00.000Z");
    expect(prepaidTopUpRefusal(null, null)).toMatch(/not PREPAID: set PREPAID terms/);
    expect(prepaidTopUpRefusal("POSTPAID", null)).toMatch(/not PREPAID: set PREPAID terms/);
  });

  it("hashes canonical text chained to the previous hash", () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: "x" }] })).toBe('{"a":[{"c":"x","d":2}],"b":1}');
    const expected = createHash("sha256").update(`${"0".repeat(64)}\n{"a":1}`).digest("hex");
    expect(chainHash(GENESIS_HASH, '{"a":1}')).toBe(expected);
    expect(chainHash(expected, '{"a":1}')).not.toBe(expected);
  });
});
