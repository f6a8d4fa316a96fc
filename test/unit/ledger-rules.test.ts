/**
 * The ledger's rules against numbers written out by hand: never computed from the rules' own tables,
 * so a wrong threshold, multiplier or rounding fails here until this file is updated too.
 * Pure: imports only subgraphs/ledger/src/rules (no database, no stack).
 */
import {
  DEFAULT_POINTS_EXPIRY_MONTHS,
  MEMBER_POINTS_CAP,
  PointsCapExceeded,
  QualifyingCounter,
  addMonths,
  availableAt,
  availablePoints,
  basePointsForPurchase,
  clawbackFor,
  expiresAt,
  expiringSoonUntil,
  fromExpired,
  isPending,
  occurredAtProblem,
  pointsAtTier,
  pointsExpiryMonthsOf,
  qualifiesAt,
  qualifyingPointsAt,
  qualifyingWindowStart,
  repayDebt,
  repayDebtFromSlices,
  shareOf,
  tierFor,
  tierStanding,
  transferAllowanceLeft,
  transferFits,
  wouldPassCap,
  heldPointsWouldPassCap,
  debitFloor,
  wouldPassFloor,
} from "../../subgraphs/ledger/src/rules";

const t = (iso: string) => new Date(iso);

describe("earn formula: floor(amountMinor / 100 × pointsPerUnit), in integers", () => {
  it.each([
    [1_000, 1, 10], // 10.00 × 1
    [1_099, 1, 10], // 10.99 × 1 → 10.99, rounded down
    [1_000, 0.3, 3], // 10.00 × 0.3 = 3 (a float product would be 2.9999… → 2)
    [333, 0.3, 0], // 3.33 × 0.3 = 0.999 → 0
    [100_000, 2.5, 2_500],
    [12_345, 1.2345, 152], // 123.45 × 1.2345 = 152.399…
    [100_000_000, 1_000, 1_000_000_000], // today's largest purchase at today's largest rate
  ])("%d minor units at %d points per unit earn %d base points", (amountMinor, rate, points) => {
    expect(basePointsForPurchase(amountMinor, rate)).toBe(points);
  });

  it("refuses a purchase worth more than the member cap", () => {
    expect(basePointsForPurchase(214_748_364_700, 1)).toBe(2_147_483_647);
    expect(() => basePointsForPurchase(214_748_364_800, 1)).toThrow(PointsCapExceeded);
  });
});

describe("tiers", () => {
  it.each([
    [0, "BASE"],
    [4_999, "BASE"],
    [5_000, "SILVER"],
    [19_999, "SILVER"],
    [20_000, "GOLD"],
    [49_999, "GOLD"],
    [50_000, "PLATINUM"],
    [10_000_000, "PLATINUM"],
  ])("%d qualifying points is %s", (points, tier) => {
    expect(tierFor(points)).toBe(tier);
    expect(tierStanding(points).current).toBe(tier);
  });

  it.each([
    ["BASE", 1_000, 1_000], // × 1.0
    ["SILVER", 1_000, 1_250], // × 1.25
    ["GOLD", 1_000, 1_500], // × 1.5
    ["PLATINUM", 1_000, 2_000], // × 2.0
  ] as const)("1,000 base points at %s earn %d", (tier, base, points) => {
    expect(pointsAtTier(base, tier)).toBe(points);
  });

  it("rounds the bonus down", () => {
    expect(pointsAtTier(1, "SILVER")).toBe(1); // 1.25
    expect(pointsAtTier(3, "SILVER")).toBe(3); // 3.75
    expect(pointsAtTier(4, "SILVER")).toBe(5); // 5
    expect(pointsAtTier(7, "GOLD")).toBe(10); // 10.5
    expect(pointsAtTier(333, "SILVER")).toBe(416); // 416.25
    expect(pointsAtTier(0, "PLATINUM")).toBe(0);
  });

  it("reports progress between thresholds, clamped, and 1 at the top", () => {
    expect(tierStanding(0)).toEqual({ current: "BASE", next: "SILVER", qualifyingPoints: 0, nextThreshold: 5_000, pointsToNext: 5_000, progress: 0 });
    expect(tierStanding(2_500)).toMatchObject({ current: "BASE", progress: 0.5, pointsToNext: 2_500 });
    expect(tierStanding(4_999)).toMatchObject({ current: "BASE", pointsToNext: 1 });
    expect(tierStanding(5_000)).toMatchObject({ current: "SILVER", next: "GOLD", nextThreshold: 20_000, pointsToNext: 15_000, progress: 0 });
    expect(tierStanding(12_500)).toMatchObject({ current: "SILVER", progress: 0.5 });
    expect(tierStanding(20_000)).toMatchObject({ current: "GOLD", next: "PLATINUM", nextThreshold: 50_000, pointsToNext: 30_000, progress: 0 });
    expect(tierStanding(35_000)).toMatchObject({ current: "GOLD", progress: 0.5 });
    expect(tierStanding(50_000)).toEqual({ current: "PLATINUM", next: null, qualifyingPoints: 50_000, nextThreshold: null, pointsToNext: 0, progress: 1 });
  });
});

describe("the qualifying window: the trailing 12 months, to the second", () => {
  const now = t("2026-06-15T12:00:00Z");
  const purchase = (earnedAt: string, availableAt = earnedAt) => ({ earnedAt: t(earnedAt), availableAt: t(availableAt), basePoints: 100 });

  it("starts exactly 12 calendar months back (UTC, clamped to the month's end)", () => {
    expect(qualifyingWindowStart(now)).toEqual(t("2025-06-15T12:00:00Z"));
    expect(qualifyingWindowStart(t("2024-02-29T08:00:00Z"))).toEqual(t("2023-02-28T08:00:00Z"));
  });

  it("counts a purchase one hour less than 12 months old, not one exactly 12 months old", () => {
    expect(qualifiesAt(purchase("2025-06-15T13:00:00Z"), now)).toBe(true);
    expect(qualifiesAt(purchase("2025-06-15T12:00:01Z"), now)).toBe(true);
    expect(qualifiesAt(purchase("2025-06-15T12:00:00Z"), now)).toBe(false);
    expect(qualifiesAt(purchase("2025-06-15T11:00:00Z"), now)).toBe(false);
    // The rest of the boundary day before the boundary is out; the whole day after it is in.
    expect(qualifiesAt(purchase("2025-06-15T00:00:00Z"), now)).toBe(false);
    expect(qualifiesAt(purchase("2025-06-15T23:59:59Z"), now)).toBe(true);
  });

  it("counts nothing still inside its return window, and nothing from the future", () => {
    expect(qualifiesAt(purchase("2026-06-10T12:00:00Z", "2026-06-17T12:00:00Z"), now)).toBe(false);
    expect(qualifiesAt(purchase("2026-06-08T12:00:00Z", "2026-06-15T12:00:00Z"), now)).toBe(true); // available at now
    expect(qualifiesAt(purchase("2026-06-15T12:00:01Z"), now)).toBe(false);
    expect(isPending(t("2026-06-15T12:00:01Z"), now)).toBe(true);
    expect(isPending(t("2026-06-15T12:00:00Z"), now)).toBe(false);
  });

  it("sums base points, and the incremental counter agrees", () => {
    const purchases = [purchase("2025-06-15T11:00:00Z"), purchase("2025-06-15T13:00:00Z"), purchase("2026-01-01T00:00:00Z"), purchase("2026-06-14T00:00:00Z", "2026-06-21T00:00:00Z")];
    expect(qualifyingPointsAt(purchases, now)).toBe(200);
    const counter = new QualifyingCounter();
    purchases.forEach((p) => counter.add(p));
    expect(counter.at(t("2026-06-14T00:00:00Z"))).toBe(300); // the first is still in the window then
    expect(counter.at(now)).toBe(200);
    // The last has left its return window; 2025-06-15T13:00 has left the 12 months (from 2025-06-21).
    expect(counter.at(t("2026-06-21T00:00:00Z"))).toBe(200);
    expect(counter.at(t("2026-06-21T00:00:00Z"))).toBe(200);
    expect(counter.at(t("2027-01-01T00:00:00Z"))).toBe(100); // 2026-01-01T00:00 is exactly 12 months old: out
  });
});

describe("the qualifying window around 29 February never moves backwards", () => {
  // 12 months before 29 February is 28 February at the same time: the window's start jumped back from
  // 28 February 2023 23:59 (at 2024-02-28T23:59) to 28 February 2023 00:00 (at 2024-02-29T00:00), so
  // a purchase made on 28 February 2023 at noon left the window on 28 February 2024 at noon and came
  // back at midnight (a member's tier could flicker), and the seeders' QualifyingCounter, which lets a
  // purchase leave once, disagreed with qualifyingPointsAt on 29 February.
  it("keeps a purchase of 28 February 2023 at noon in until 29 February 2024 at noon, without a gap", () => {
    const made = { earnedAt: t("2023-02-28T12:00:00Z"), availableAt: t("2023-02-28T12:00:00Z") };
    for (const now of ["2024-02-28T11:59:59.999Z", "2024-02-28T12:00:00Z", "2024-02-28T23:59:59.999Z", "2024-02-29T00:00:00Z", "2024-02-29T11:59:59.999Z"]) {
      expect([now, qualifiesAt(made, t(now))]).toEqual([now, true]);
    }
    expect(qualifiesAt(made, t("2024-02-29T12:00:00Z"))).toBe(false);
    expect(qualifyingWindowStart(t("2024-02-28T13:00:00Z"))).toEqual(t("2023-02-28T00:00:00Z"));
    expect(qualifyingWindowStart(t("2024-02-27T13:00:00Z"))).toEqual(t("2023-02-27T13:00:00Z"));
    expect(qualifyingWindowStart(t("2023-02-28T13:00:00Z"))).toEqual(t("2022-02-28T13:00:00Z")); // no 29 February next: as before
  });

  it("moves forward only, and is now − 12 months on every day but 28 February before a 29 February", () => {
    let before = qualifyingWindowStart(t("2023-01-01T00:00:00Z")).getTime();
    for (let at = t("2023-01-01T00:17:00Z").getTime(); at < t("2029-01-01T00:00:00Z").getTime(); at += 3_600_000) {
      const now = new Date(at);
      const start = qualifyingWindowStart(now).getTime();
      expect(start).toBeGreaterThanOrEqual(before);
      before = start;
      const leapEve = now.getUTCMonth() === 1 && now.getUTCDate() === 28 && now.getUTCFullYear() % 4 === 0;
      if (!leapEve) expect(start).toBe(addMonths(now, -12).getTime());
    }
  });

  it("and the incremental counter agrees with qualifyingPointsAt through it", () => {
    const purchases = [
      { earnedAt: t("2023-02-28T06:00:00Z"), availableAt: t("2023-02-28T06:00:00Z"), basePoints: 1 },
      { earnedAt: t("2023-02-28T12:00:00Z"), availableAt: t("2023-02-28T12:00:00Z"), basePoints: 10 },
      { earnedAt: t("2023-02-28T18:00:00Z"), availableAt: t("2023-02-28T18:00:00Z"), basePoints: 100 },
    ];
    const counter = new QualifyingCounter();
    purchases.forEach((p) => counter.add(p));
    for (const now of ["2024-02-28T05:00:00Z", "2024-02-28T13:00:00Z", "2024-02-28T20:00:00Z", "2024-02-29T01:00:00Z", "2024-02-29T13:00:00Z", "2024-03-01T00:00:00Z"]) {
      expect([now, counter.at(t(now))]).toEqual([now, qualifyingPointsAt(purchases, t(now))]);
    }
    expect(qualifyingPointsAt(purchases, t("2024-02-28T20:00:00Z"))).toBe(111);
    expect(qualifyingPointsAt(purchases, t("2024-02-29T13:00:00Z"))).toBe(100);
  });
});

describe("a late purchase's occurredAt", () => {
  it("may be up to 5 minutes ahead and 365 days back, both ends included", () => {
    const now = t("2026-03-01T12:00:00Z");
    expect(occurredAtProblem(t("2026-03-01T12:05:00Z"), now)).toBeNull();
    expect(occurredAtProblem(t("2026-03-01T12:05:00.001Z"), now)).toBe("future");
    expect(occurredAtProblem(t("2025-03-01T12:00:00Z"), now)).toBeNull(); // 365 × 24 h back (2025 is no leap year)
    expect(occurredAtProblem(t("2025-03-01T11:59:59.999Z"), now)).toBe("tooOld");
    expect(occurredAtProblem(t("2024-03-01T12:00:00Z"), t("2025-02-28T12:00:00Z"))).toBeNull(); // 364 days across 29 February
    expect(occurredAtProblem(t("2024-02-29T12:00:00Z"), t("2025-02-28T12:00:00Z"))).toBeNull(); // exactly 365 days
    expect(occurredAtProblem(t("2024-02-28T12:00:00Z"), t("2025-02-28T12:00:00Z"))).toBe("tooOld"); // 366 days: a calendar year, yet too old
  });
});

describe("pending window and expiry", () => {
  it("makes points spendable N whole days after the purchase", () => {
    expect(availableAt(t("2026-01-31T10:00:00Z"), 30)).toEqual(t("2026-03-02T10:00:00Z"));
    expect(availableAt(t("2026-01-31T10:00:00Z"), 0)).toEqual(t("2026-01-31T10:00:00Z"));
  });

  it("expires points 24 months after they were earned, clamped to the month's end", () => {
    expect(DEFAULT_POINTS_EXPIRY_MONTHS).toBe(24);
    expect(expiresAt(t("2026-01-31T10:00:00Z"), 24)).toEqual(t("2028-01-31T10:00:00Z"));
    expect(expiresAt(t("2028-02-29T10:00:00Z"), 24)).toEqual(t("2030-02-28T10:00:00Z"));
    expect(addMonths(t("2026-03-31T00:00:00Z"), -1)).toEqual(t("2026-02-28T00:00:00Z"));
  });

  it("calls points expiring within 90 days 'expiring soon'", () => {
    expect(expiringSoonUntil(t("2026-01-01T00:00:00Z"))).toEqual(t("2026-04-01T00:00:00Z"));
  });

  it("reads POINTS_EXPIRY_MONTHS: 24 by default, at least 13, naming the variable", () => {
    expect(pointsExpiryMonthsOf(undefined)).toBe(24);
    expect(pointsExpiryMonthsOf("13")).toBe(13);
    expect(() => pointsExpiryMonthsOf("12")).toThrow(/POINTS_EXPIRY_MONTHS/);
    expect(() => pointsExpiryMonthsOf("two")).toThrow(/POINTS_EXPIRY_MONTHS/);
  });
});

describe("refund clawback: cumulative shares, rounded down", () => {
  const purchase = { amountMinor: 10_000, refundedMinor: 0, points: 125, basePoints: 100, reversedPoints: 0, reversedBasePoints: 0 };

  it("takes back the refunded share of the points and of the base points", () => {
    expect(clawbackFor(purchase, 5_000)).toEqual({ ok: true, refundedMinor: 5_000, points: 62, basePoints: 50 }); // 62.5 → 62
    expect(clawbackFor(purchase, 10_000)).toEqual({ ok: true, refundedMinor: 10_000, points: 125, basePoints: 100 });
  });

  it("rounds each cumulative share down, so the last refund takes exactly what is left", () => {
    // Three refunds of a third: 41.66 → 41, 83.33 → 83 (42 more), then 125 (42 more): 125 in all.
    const first = clawbackFor({ ...purchase, amountMinor: 9_999 }, 3_333);
    expect(first).toEqual({ ok: true, refundedMinor: 3_333, points: 41, basePoints: 33 });
    const second = clawbackFor({ ...purchase, amountMinor: 9_999, refundedMinor: 3_333, reversedPoints: 41, reversedBasePoints: 33 }, 3_333);
    expect(second).toEqual({ ok: true, refundedMinor: 6_666, points: 42, basePoints: 33 });
    const third = clawbackFor({ ...purchase, amountMinor: 9_999, refundedMinor: 6_666, reversedPoints: 83, reversedBasePoints: 66 }, 3_333);
    expect(third).toEqual({ ok: true, refundedMinor: 9_999, points: 42, basePoints: 34 });
  });

  it("refuses a refund past the purchase, saying how much is left", () => {
    expect(clawbackFor({ ...purchase, refundedMinor: 9_000 }, 1_001)).toEqual({ ok: false, refundable: 1_000 });
  });

  it("takes back first what the refunded lot lost to expiry and no refund took back yet, then from the member", () => {
    // A lot of 1,000: 400 spent, 600 expired. Half refunded (500): all 500 from the 600 expired.
    expect(fromExpired(500, 600, 0)).toBe(500);
    // The other half (500): the 100 expired left, the other 400 from the member.
    expect(fromExpired(500, 600, 500)).toBe(100);
    // Nothing expired (or all of it taken back already): all from the member.
    expect(fromExpired(500, 0, 0)).toBe(0);
    expect(fromExpired(30, 600, 600)).toBe(0);
  });

  it("is exact where a double's product would floor a point off", () => {
    expect(shareOf(2_147_483_647, 99_999_024, 99_999_024)).toBe(2_147_483_647);
    expect(shareOf(2_000_000_000, 1, 3)).toBe(666_666_666);
  });
});

describe("debt: arriving spendable points repay it first, then become lots", () => {
  it("repays from spendable points, never from pending ones", () => {
    expect(repayDebt(100, 300)).toEqual({ repaid: 100, kept: 200, debtLeft: 0 });
    expect(repayDebt(500, 300)).toEqual({ repaid: 300, kept: 0, debtLeft: 200 });
    expect(repayDebt(0, 300)).toEqual({ repaid: 0, kept: 300, debtLeft: 0 });
    expect(repayDebt(100, 300, { spendable: false })).toEqual({ repaid: 0, kept: 300, debtLeft: 100 });
  });

  it("takes from slices in order", () => {
    expect(repayDebtFromSlices(150, [100, 100, 100])).toEqual({ kept: [0, 50, 100], debtLeft: 0 });
    expect(repayDebtFromSlices(400, [100, 100])).toEqual({ kept: [0, 0], debtLeft: 200 });
  });
});

describe("available points: the balance less pending, expired and held points", () => {
  it("subtracts each, and goes negative while the member owes points", () => {
    expect(availablePoints(1_000, { pending: 0, expired: 0, held: 0 })).toBe(1_000);
    expect(availablePoints(1_000, { pending: 300, expired: 200, held: 100 })).toBe(400);
    expect(availablePoints(-50, { pending: 0, expired: 0, held: 0 })).toBe(-50);
    expect(availablePoints(100, { pending: 100, expired: 0, held: 30 })).toBe(-30);
  });
});

describe("transfers and the member cap", () => {
  it("allows 10,000 points a day by default, to the point", () => {
    expect(transferFits(10_000, 10_000, 0)).toBe(true);
    expect(transferFits(1, 10_000, 10_000)).toBe(false);
    expect(transferFits(4_000, 10_000, 6_000)).toBe(true);
    expect(transferFits(4_001, 10_000, 6_000)).toBe(false);
    expect(transferAllowanceLeft(10_000, 12_000)).toBe(0);
  });

  it("caps member figures at 2,147,483,647", () => {
    expect(MEMBER_POINTS_CAP).toBe(2_147_483_647);
    expect(wouldPassCap(2_147_483_000, 647)).toBeNull();
    expect(wouldPassCap(2_147_483_000, 648)).toBe(2_147_483_648n);
  });

  it("caps what a member holds, pending included (balance plus debt), when points may arrive pending", () => {
    // 2,000,000,000 pending, 1,000 owed: balance 1,999,999,000. 147,483,647 more pending reaches the cap
    // exactly (1,999,999,000 + 1,000 + 147,483,647 = 2,147,483,647); one more passes it, though the balance
    // alone (2,147,482,647 + 1) would not.
    expect(heldPointsWouldPassCap(1_999_999_000, 1_000, 147_483_647)).toBeNull();
    expect(heldPointsWouldPassCap(1_999_999_000, 1_000, 147_483_648)).toBe(2_147_483_648n);
    expect(wouldPassCap(1_999_999_000, 147_483_648)).toBeNull();
    // Nothing owed: the balance's own check.
    expect(heldPointsWouldPassCap(2_147_483_000, 0, 648)).toBe(2_147_483_648n);
  });

  it("keeps a debit above −2,147,483,647 plus the lifetime earned points refunds may still take back", () => {
    // 1,000 earned: the floor is −2,147,483,647 + 1,000 = −2,147,482,647.
    expect(debitFloor(1_000)).toBe(-2_147_482_647);
    expect(wouldPassFloor(-2_147_482_000, -647, 1_000)).toBeNull(); // exactly to the floor
    expect(wouldPassFloor(-2_147_482_000, -648, 1_000)).toBe(-2_147_482_648);
    // Nothing earned (all refunded): the floor is −2,147,483,647 itself.
    expect(wouldPassFloor(-2_147_483_647, -1, 0)).toBe(-2_147_483_648);
  });
});

describe("the rules folder is pure", () => {
  it("imports nothing but its own files (no database, TypeORM, type-graphql, GraphQL or shared code)", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { readdirSync, readFileSync } = require("node:fs") as typeof import("node:fs");
    const dir = `${__dirname}/../../subgraphs/ledger/src/rules`;
    const imports = readdirSync(dir)
      .filter((file) => file.endsWith(".ts"))
      .flatMap((file) => [...readFileSync(`${dir}/${file}`, "utf8").matchAll(/from\s+"([^"]+)"|require\("([^"]+)"\)|process\.env/g)].map((m) => `${file}: ${m[1] ?? m[2] ?? m[0]}`));
    expect(imports.filter((line) => !/: \.\/[a-z-]+$/.test(line))).toEqual([]);
  });
});
