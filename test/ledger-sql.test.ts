import { Client } from "pg";
import { withDatabase } from "../shared/src/config";
import {
  TIER_MULTIPLIER_PERCENT,
  TIER_THRESHOLDS,
  awardFor,
  awardForSql,
  awardInOrderSql,
  awardsInOrder,
  bonusesFitUnderCap,
  bonusesFitUnderCapSql,
  campaignActiveSql,
  campaignBonus,
  campaignBonusSql,
  campaignStatus,
  coversPurchaseAt,
  coversPurchaseAtSql,
  earnedAtOtherPartner,
  earnedAtOtherPartnerSql,
  heldPointsFitUnderCapSql,
  heldPointsWouldPassCap,
  inCampaignWindow,
  inCampaignWindowSql,
  percentBonus,
  percentBonusSql,
  addMonths,
  availableAt as availableAfter,
  expiresAt,
  expiresAtSql,
  expiryMonthsOfSql,
  pointsAtTier,
  qualifyingPointsAt,
  qualifyingWindowStart,
  pointsAtTierSql,
  repayDebt,
  repayDebtFromSlices,
  repaidFromSliceSql,
  repaidOnArrivalSql,
  shareOf,
  shareOfSql,
  tierFor,
  tierPercentSql,
  tierRankSql,
  withinAfterWindow,
  withinAfterWindowSql,
} from "../subgraphs/ledger/src/rules";
import { exactValue, liabilityValue, outstanding, outstandingPoints, roundLine } from "../subgraphs/ledger/src/rules";
import { LEDGER_FUNCTIONS } from "../subgraphs/ledger/src/sql";
import { exactValueSql } from "../subgraphs/ledger/src/sql/clearing";
import { outstandingLotSql, outstandingSql } from "../subgraphs/ledger/src/sql/liability";
import { qualifyingAtSql, qualifyingNowSql } from "../subgraphs/ledger/src/sql/qualifying";

let client: Client;
beforeAll(async () => {
  client = new Client({ connectionString: withDatabase(process.env.TEST_DATABASE_URL!, `coalition_ledger${process.env.TEST_DATABASE_NAME_SUFFIX}`) });
  await client.connect();
});
afterAll(() => client.end());

/**
 * Every database function that encodes a rule is what its one definition in subgraphs/ledger/src/sql
 * says: same arguments, result, body and settings (pg_get_function_arguments, pg_get_function_result, prosrc, proconfig).
 * A rule changed in the module without a migration that installs it fails here.
 */
describe("the ledger database's functions are their definitions", () => {
  it.each(LEDGER_FUNCTIONS.map((f) => [f.name, f] as const))("%s", async (name, definition) => {
    const { rows } = await client.query(
      `SELECT pg_get_function_arguments(p.oid) AS arguments, pg_get_function_result(p.oid) AS returns, l.lanname AS language, p.prosrc AS body, coalesce(p.proconfig, '{}') AS settings
       FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang JOIN pg_namespace n ON n.oid = p.pronamespace
       WHERE p.proname = $1 AND n.nspname = 'public'`,
      [name],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toEqual({ arguments: definition.arguments, returns: definition.returns, language: definition.language, body: definition.body, settings: definition.settings ?? [] });
  });
});

/**
 * A rule's SQL fragment gives what its function gives, whatever the session's time zone (a
 * DATABASE_URL server need not run in UTC): the cross-brand window across Europe's DST end.
 */
describe("rule fragments evaluated by Postgres agree with their functions", () => {
  it.each(["UTC", "Europe/Paris", "America/New_York"])("the cross-brand window is N × 24 h in time zone %s", async (zone) => {
    await client.query(`SET TimeZone = '${zone}'`);
    const purchase = "2026-10-27T12:00:00Z"; // two days after Paris's DST end, five before New York's
    for (const [prior, days] of [["2026-10-20T11:30:00Z", 7], ["2026-10-20T12:00:00Z", 7], ["2026-10-20T12:30:00Z", 7], ["2026-10-26T12:00:00Z", 1], ["2026-11-03T12:00:00Z", 7]] as const) {
      const { rows } = await client.query(`SELECT ${withinAfterWindowSql("$1::timestamptz", "$2::timestamptz", "$3::int")} AS within`, [prior, purchase, days]);
      expect([prior, days, rows[0].within]).toEqual([prior, days, withinAfterWindow(new Date(prior), new Date(purchase), days)]);
    }
  });
});

/**
 * Every SQL fragment of ../subgraphs/ledger/src/rules, evaluated by Postgres at the rule's boundaries
 * (numbers chosen by hand), against its TypeScript function: the installed functions and the ledger's
 * queries are generated from these fragments, so a fragment that drifts from its rule fails here, not
 * only a string comparison. Each case lists the inputs with the answer, so a failure names them.
 */
describe("every rule's SQL fragment gives what its TypeScript rule gives", () => {
  const one = async (sql: string, params: unknown[] = []) => (await client.query(`SELECT ${sql} AS v`, params)).rows[0].v;
  const thresholds = TIER_THRESHOLDS.map((t) => t.threshold);
  const percents = TIER_THRESHOLDS.map((t) => TIER_MULTIPLIER_PERCENT[t.tier]);
  const tierNames = TIER_THRESHOLDS.map((t) => t.tier);
  const qualifyings = [0, 1, 4_999, 5_000, 5_001, 19_999, 20_000, 49_999, 50_000, 2_147_483_647];

  it("the tier bonus of record_purchases: pointsAtTier(base, tierFor(qualifying)) at every threshold", async () => {
    for (const q of qualifyings) {
      for (const base of [0, 1, 3, 4, 7, 1_000, 1_000_000_000]) {
        const got = await one(pointsAtTierSql("$1::int", tierPercentSql("$2::bigint", "($3::bigint[])", "($4::int[])")), [base, q, thresholds, percents]);
        expect([q, base, Number(got)]).toEqual([q, base, pointsAtTier(base, tierFor(q))]);
      }
    }
  });

  it("a campaign's minimumTier: the tier rank reaches the minimum's position exactly when tierFor does", async () => {
    for (const q of qualifyings) {
      const rank = Number(await one(tierRankSql("$1::bigint", "$2::bigint[]"), [q, thresholds]));
      expect([q, rank]).toEqual([q, tierNames.indexOf(tierFor(q)) + 1]);
      for (const minimum of tierNames) {
        const meets = await one(`${tierRankSql("$1::bigint", "$2::bigint[]")} >= array_position($3::text[], $4::text)`, [q, thresholds, tierNames, minimum]);
        expect([q, minimum, meets]).toEqual([q, minimum, tierNames.indexOf(tierFor(q)) >= tierNames.indexOf(minimum)]);
      }
    }
  });

  it("a lot's expiry: expiresAt (calendar months in UTC, clamped), and its months read back from its dates, in any session time zone", async () => {
    // [earned, months, expires] by hand: the same instant 24 (or 13) months later; 29 February and the 31st clamp to the month's end.
    const cases: [string, number, string][] = [
      ["2027-03-15T12:00:00.000Z", 24, "2029-03-15T12:00:00.000Z"], // 731 days: holds 29 February 2028
      ["2028-03-10T12:00:00.123Z", 24, "2030-03-10T12:00:00.123Z"], // 730 days; New York changes its clocks in between
      ["2028-02-29T23:30:00.000Z", 24, "2030-02-28T23:30:00.000Z"],
      ["2026-08-31T00:00:00.000Z", 13, "2027-09-30T00:00:00.000Z"],
      ["2026-01-31T04:00:00.000Z", 13, "2027-02-28T04:00:00.000Z"], // 23:00 on 30 January in New York: still the 31st in UTC
    ];
    await client.query("SET TIME ZONE 'America/New_York'");
    try {
      for (const [earned, months, expires] of cases) {
        expect([earned, months, expiresAt(new Date(earned), months).toISOString()]).toEqual([earned, months, expires]);
        const got = (await one(expiresAtSql("$1::timestamptz", "$2::int"), [earned, months])) as Date;
        const readBack = await one(expiryMonthsOfSql("$1::timestamptz", "$2::timestamptz"), [earned, expires]);
        expect([earned, months, got.toISOString(), readBack]).toEqual([earned, months, expires, months]);
      }
    } finally {
      await client.query("RESET TIME ZONE");
    }
  });

  it("arriving points repay a debt only once spendable: repayDebt", async () => {
    const now = new Date("2026-06-01T12:00:00Z");
    for (const availableAt of [new Date(now.getTime() - 1), now, new Date(now.getTime() + 1)]) {
      for (const debt of [0, 30, 100]) {
        for (const points of [0, 20, 100, 150]) {
          const got = Number(await one(repaidOnArrivalSql("$1::bigint", "$2::bigint", "$3::timestamptz", "$4::timestamptz"), [debt, points, availableAt, now]));
          const want = repayDebt(debt, points, { spendable: availableAt.getTime() <= now.getTime() }).repaid;
          expect([availableAt.toISOString(), debt, points, got]).toEqual([availableAt.toISOString(), debt, points, want]);
        }
      }
    }
  });

  it("a debt repaid from slices in order: repayDebtFromSlices", async () => {
    for (const [debt, slices] of [[30, [20, 20, 20]], [0, [5, 5]], [100, [20, 20, 20]], [40, [40, 1]], [41, [40, 1, 7]]] as const) {
      const got = await client.query(
        `SELECT ${repaidFromSliceSql("$1::bigint", "coalesce(sum(s.points) OVER (ORDER BY s.ord ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)", "s.points")} AS repaid
         FROM unnest($2::bigint[]) WITH ORDINALITY AS s(points, ord) ORDER BY s.ord`,
        [debt, slices],
      );
      const kept = repayDebtFromSlices(debt, slices).kept;
      expect([debt, slices, got.rows.map((r) => Number(r.repaid))]).toEqual([debt, slices, slices.map((points, i) => points - kept[i])]);
    }
  });

  it("a campaign's bonus: percentBonus, campaignBonus and awardFor, rounded down and cut", async () => {
    for (const [base, percent] of [[0, 50], [3, 50], [19, 50], [199, 10], [1, 1_000], [1_000_000_000, 1_000]]) {
      expect([base, percent, Number(await one(percentBonusSql("$1::int", "$2::int"), [base, percent]))]).toEqual([base, percent, percentBonus(base, percent)]);
    }
    for (const [points, percent, base] of [[null, 50, 19], [40, null, 19], [40, null, 0]] as const) {
      const got = Number(await one(campaignBonusSql("$1::int", "$2::int", "$3::int"), [points, percent, base]));
      expect([points, percent, base, got]).toEqual([points, percent, base, campaignBonus({ bonusPoints: points, bonusPercent: percent }, base)]);
    }
    for (const [bonus, budgetLeft, memberLeft] of <[number, number | null, number | null][]>[[50, null, null], [50, 30, null], [50, null, 20], [50, 30, 20], [50, 0, null], [50, -5, null], [50, null, 0], [50, 80, 90]]) {
      const got = Number(await one(awardForSql("$1::bigint", "$2::bigint", "$3::bigint"), [bonus, budgetLeft, memberLeft]));
      expect([bonus, budgetLeft, memberLeft, got]).toEqual([bonus, budgetLeft, memberLeft, awardFor(bonus, budgetLeft, memberLeft)]);
    }
  });

  it("a refund's cumulative share, rounded down, exact past 2^53: shareOf", async () => {
    for (const [points, refunded, amount] of [[10, 1, 3], [10, 2, 3], [10, 3, 3], [50, 1, 3], [0, 5, 10], [2_147_483_647, 99_999_999, 100_000_000], [7, 100_000_000, 100_000_000]]) {
      const got = Number(await one(shareOfSql("$1::bigint", "$2::bigint", "$3::bigint"), [points, refunded, amount]));
      expect([points, refunded, amount, got]).toEqual([points, refunded, amount, shareOf(points, refunded, amount)]);
    }
  });

  it("the liability's lots: outstandingSql counts what outstanding (outstandingPoints, exactValue) counts", async () => {
    const now = new Date("2026-06-15T12:00:00Z");
    // By hand: open (100 × 1,500 = 15,000,000), partly spent (7 left × 2,001 = 1,400,700), expiring 1 ms after now
    // (3 × 999 = 299,700), unpriced (older than the clearing house: 5 × 0), past expiry by 1 ms, expiring exactly now
    // (neither counts: the expiry run has not posted them, they are not spendable), emptied (0 left).
    // Points 100 + 7 + 3 + 5 = 115; charged 15,000,000 + 1,400,700 + 299,700 = 16,700,400 (100,000ths of a cent).
    const lots = [
      { remaining: 100, expiresAt: new Date("2027-01-01T00:00:00Z"), issuePricePer1000: 1_500 },
      { remaining: 7, expiresAt: new Date("2026-07-01T00:00:00Z"), issuePricePer1000: 2_001 },
      { remaining: 3, expiresAt: new Date(now.getTime() + 1), issuePricePer1000: 999 },
      { remaining: 5, expiresAt: new Date("2027-01-01T00:00:00Z"), issuePricePer1000: null },
      { remaining: 40, expiresAt: new Date(now.getTime() - 1), issuePricePer1000: 1_500 },
      { remaining: 60, expiresAt: now, issuePricePer1000: 1_500 },
      { remaining: 0, expiresAt: new Date("2027-01-01T00:00:00Z"), issuePricePer1000: 1_500 },
    ];
    expect(outstanding(lots, now)).toEqual({ points: 115n, charged: 16_700_400n });
    expect(lots.map((lot) => outstandingPoints(lot, now))).toEqual([100, 7, 3, 5, 0, 0, 0]);
    // The fragment the liability and the settlement read, over these lots (a CTE named lots stands for the table).
    const { rows } = await client.query(
      `WITH lots AS (SELECT * FROM unnest($2::int[], $3::timestamptz[], $4::bigint[]) AS v(remaining, expires_at, issue_price_per_1000))
       SELECT points::text, charged::text, (SELECT array_agg(${outstandingLotSql("l", "$1")} ORDER BY n) FROM unnest($2::int[], $3::timestamptz[]) WITH ORDINALITY AS l(remaining, expires_at, n)) AS each
       FROM (${outstandingSql("true", "$1")}) o`,
      [now, lots.map((l) => l.remaining), lots.map((l) => l.expiresAt), lots.map((l) => l.issuePricePer1000)],
    );
    expect(rows[0]).toEqual({ points: "115", charged: "16700400", each: [true, true, true, true, false, false, false] });
    // And the liability's value, rounded once: 167.004 → 167 cents.
    expect(liabilityValue(16_700_400n)).toBe(167);
  });

  it("a movement's exact value: exactValueSql (which every SQL that values points is generated from) gives exactValue at the rounding edges", async () => {
    // By hand, in 100,000ths of a minor unit, with each rounded as a line (halves away from zero):
    // 1 × 1 × 100 = 100 (0.001 → 0); 5 × 100 × 100 = 50,000 (0.5 → 1); −5 × 100 × 100 = −50,000 (−0.5 → −1);
    // 101 × 1,234 × 100 = 12,463,400 (124.634 → 125); 999 × 1,001 × 40 = 39,999,960 (399.9996 → 400);
    // 2,147,483,647 × 1,000,000,000 × 100 = 214,748,364,700,000,000,000 (past 2^63: exact in numeric).
    const cases: [bigint, bigint, bigint, string, bigint][] = [
      [1n, 1n, 100n, "100", 0n],
      [5n, 100n, 100n, "50000", 1n],
      [-5n, 100n, 100n, "-50000", -1n],
      [101n, 1_234n, 100n, "12463400", 125n],
      [999n, 1_001n, 40n, "39999960", 400n],
      [2_147_483_647n, 1_000_000_000n, 100n, "214748364700000000000", 2_147_483_647_000_000n],
    ];
    for (const [points, price, percent, exact, rounded] of cases) {
      expect([points, price, percent, exactValue(points, price, percent)]).toEqual([points, price, percent, BigInt(exact)]);
      expect(roundLine(BigInt(exact))).toBe(rounded);
      const got = await one(`(${exactValueSql("$1::bigint", "$2::bigint", "$3::int")})::text`, [points.toString(), price.toString(), percent.toString()]);
      expect([points, price, percent, got]).toEqual([points, price, percent, exact]);
    }
  });

  it("a group's awards spend a budget in order: awardsInOrder", async () => {
    for (const [budgetLeft, bonuses] of [[70, [50, 50, 50]], [null, [50, 50]], [0, [10]], [100, [60, 60, 60]], [150, [50, 50, 50]]] as const) {
      const got = await client.query(
        `SELECT ${awardInOrderSql("s.cut", "$1::bigint", "coalesce(sum(s.cut) OVER (ORDER BY s.ord ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)")} AS award
         FROM unnest($2::bigint[]) WITH ORDINALITY AS s(cut, ord) ORDER BY s.ord`,
        [budgetLeft, bonuses],
      );
      const want = awardsInOrder(budgetLeft, bonuses.map((bonus) => ({ bonus, memberLeft: null })));
      expect([budgetLeft, bonuses, got.rows.map((r) => Number(r.award))]).toEqual([budgetLeft, bonuses, want]);
    }
  });

  it("the points cap on what a member holds: heldPointsWouldPassCap and bonusesFitUnderCap", async () => {
    const cap = 2_147_483_647;
    for (const [balance, debt, adding] of [[0, 0, cap], [0, 0, cap + 1], [-1_000, 1_000, cap], [-1_000, 1_000, cap - 1], [cap - 10, 0, 10], [cap - 10, 1, 10], [5, 0, 0]]) {
      const fits = await one(heldPointsFitUnderCapSql("$1::bigint", "$2::bigint", "$3::bigint", "$4::bigint"), [balance, debt, adding, cap]);
      expect([balance, debt, adding, fits]).toEqual([balance, debt, adding, heldPointsWouldPassCap(balance, debt, adding) === null]);
      const bonusesFit = await one(bonusesFitUnderCapSql("$1::bigint", "$2::bigint", "$3::bigint", "$4::bigint"), [balance, debt, adding, cap]);
      expect([balance, debt, adding, bonusesFit]).toEqual([balance, debt, adding, bonusesFitUnderCap(balance, debt, [adding], cap)]);
    }
  });

  it("a campaign's window, its coverage, the earlier purchase's points and its status", async () => {
    const startsAt = new Date("2026-03-01T00:00:00Z");
    const endsAt = new Date("2026-04-01T00:00:00Z");
    for (const at of [new Date(startsAt.getTime() - 1), startsAt, new Date(endsAt.getTime() - 1), endsAt]) {
      const got = await one(inCampaignWindowSql("$1::timestamptz", "$2::timestamptz", "$3::timestamptz"), [startsAt, endsAt, at]);
      expect([at.toISOString(), got]).toEqual([at.toISOString(), inCampaignWindow(startsAt, endsAt, at)]);
    }
    for (const points of [0, 1]) expect([points, await one(earnedAtOtherPartnerSql("$1::int"), [points])]).toEqual([points, earnedAtOtherPartner(points)]);

    const [a, b] = ["00000000-0000-4000-8000-00000000000a", "00000000-0000-4000-8000-00000000000b"];
    for (const [partnerIds, categories, partner, category] of [
      [[], [], a, null], [[], [], a, "DINING"], [[a], [], a, null], [[a], [], b, null], [[], ["DINING"], b, "DINING"],
      [[], ["DINING"], b, "FUEL"], [[], ["DINING"], b, null], [[a], ["DINING"], b, "DINING"], [[a], ["DINING"], b, "FUEL"],
    ] as const) {
      const got = await one(coversPurchaseAtSql("$1::uuid[]", "$2::text[]", "$3::uuid", "$4::text"), [partnerIds, categories, partner, category]);
      expect([partnerIds, categories, partner, category, got]).toEqual([partnerIds, categories, partner, category, coversPurchaseAt({ partnerIds, categories }, partner, category)]);
    }

    const campaign = { startsAt, endsAt, endedAt: null as Date | null, budgetPoints: null as number | null, pointsAwarded: 0 };
    const columns = { startsAt: "$1::timestamptz", endsAt: "$2::timestamptz", endedAt: "$3::timestamptz", budgetPoints: "$4::bigint", pointsAwarded: "$5::bigint" };
    for (const [c, now] of [
      [campaign, new Date(startsAt.getTime() - 1)], [campaign, startsAt], [campaign, new Date(endsAt.getTime() - 1)], [campaign, endsAt],
      [{ ...campaign, endedAt: startsAt }, new Date(startsAt.getTime() + 1)], [{ ...campaign, budgetPoints: 100, pointsAwarded: 99 }, startsAt],
      [{ ...campaign, budgetPoints: 100, pointsAwarded: 100 }, startsAt],
    ] as const) {
      const got = await one(campaignActiveSql(columns, "$6::timestamptz"), [c.startsAt, c.endsAt, c.endedAt, c.budgetPoints, c.pointsAwarded, now]);
      expect([c, now.toISOString(), got]).toEqual([c, now.toISOString(), campaignStatus(c, now) === "ACTIVE"]);
    }
  });
});

/**
 * The qualifying sums (sql/qualifying.ts: daily buckets for whole days, the boundary day's purchases
 * row by row, pending points subtracted) against the rule they implement, rules/windows.ts
 * `qualifyingPointsAt`: over random purchases (return windows 0 to 365 days, partial refunds, some
 * made up to 5 minutes ahead of the ledger's clock) across 29 February 2024, asked at random times and
 * at each rule boundary (12 months after a purchase, the end of its return window, ±1 ms). The tables
 * are temporary copies (pg_temp comes first in the search path), filled as the triggers and writers fill
 * the real ones, in a transaction rolled back.
 */
describe("the qualifying window's SQL gives qualifyingPointsAt", () => {
  const DAY = 86_400_000;
  let seed = 20240229;
  const rand = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const end = new Date("2025-03-10T00:00:00Z").getTime();
  const purchases = Array.from({ length: 120 }, () => {
    const earnedAt = new Date(end - Math.floor(rand() * 800 * DAY));
    const base = 1 + Math.floor(rand() * 1_000);
    const reversed = rand() < 0.2 ? Math.floor(rand() * (base + 1)) : 0;
    return { earnedAt, availableAt: availableAfter(earnedAt, [0, 0, 1, 14, 30, 365][Math.floor(rand() * 6)]), base, reversed };
  });
  // Made on 28 February 2023: on 28 February 2024 the window starts at its 00:00 (it never moves backwards).
  for (const hour of ["06", "12", "18"]) purchases.push({ earnedAt: new Date(`2023-02-28T${hour}:00:00Z`), availableAt: new Date(`2023-02-28T${hour}:00:00Z`), base: 7, reversed: 0 });
  const times: Date[] = ["2024-02-28T05:00:00Z", "2024-02-28T13:00:00Z", "2024-02-28T23:59:59.999Z", "2024-02-29T00:00:00Z", "2024-02-29T13:00:00Z"].map((iso) => new Date(iso));
  for (let i = 0; i < 40; i++) times.push(new Date(end - Math.floor(rand() * 400 * DAY)));
  for (const p of purchases.slice(0, 25)) {
    for (const edge of [addMonths(p.earnedAt, 12), p.availableAt]) for (const d of [-1, 0, 1]) times.push(new Date(edge.getTime() + d));
  }
  const day = (d: Date) => d.toISOString().slice(0, 10);

  beforeAll(async () => {
    await client.query("BEGIN");
    await client.query(`CREATE TEMP TABLE purchases (member_id uuid, base_points bigint, reversed_base_points bigint, earned_at timestamptz, available_at timestamptz)`);
    await client.query(`CREATE TEMP TABLE qualifying_points (member_id uuid, day date, points bigint)`);
    await client.query(`CREATE TEMP TABLE pending_days (member_id uuid, day date, base_points bigint, lot_points bigint)`);
  });
  afterAll(() => client.query("ROLLBACK"));

  /** A member of its own holding the purchases made by `recordedBy` (up to 5 minutes ahead of it), the tables filled as the ledger fills them. */
  let members = 0;
  async function memberWith(recordedBy: Date) {
    const member = `00000000-0000-4000-8000-${String(++members).padStart(12, "0")}`;
    const made = purchases.filter((p) => p.earnedAt.getTime() <= recordedBy.getTime() + 5 * 60_000);
    const sums = (key: (p: (typeof made)[number]) => string) => {
      const by = new Map<string, number>();
      for (const p of made) by.set(key(p), (by.get(key(p)) ?? 0) + p.base - p.reversed);
      return [[...by.keys()], [...by.values()]];
    };
    await client.query(
      `INSERT INTO purchases SELECT $1, * FROM unnest($2::bigint[], $3::bigint[], $4::timestamptz[], $5::timestamptz[])`,
      [member, made.map((p) => p.base), made.map((p) => p.reversed), made.map((p) => p.earnedAt), made.map((p) => p.availableAt)],
    );
    await client.query(`INSERT INTO qualifying_points SELECT $1, * FROM unnest($2::date[], $3::bigint[])`, [member, ...sums((p) => day(p.earnedAt))]);
    await client.query(`INSERT INTO pending_days SELECT $1, d, b, 0 FROM unnest($2::date[], $3::bigint[]) AS x(d, b)`, [member, ...sums((p) => day(p.availableAt))]);
    return { member, made: made.map((p) => ({ earnedAt: p.earnedAt, availableAt: p.availableAt, basePoints: p.base - p.reversed })) };
  }

  it("now (a live purchase's tier, Member.tier): qualifyingNowSql", async () => {
    for (const now of times) {
      const { member, made } = await memberWith(now);
      const { rows } = await client.query(`SELECT ${qualifyingNowSql("$1::uuid", "$2::timestamptz", "$3::timestamptz")} AS q`, [member, now, qualifyingWindowStart(now)]);
      expect([now.toISOString(), Number(rows[0].q)]).toEqual([now.toISOString(), qualifyingPointsAt(made, now)]);
    }
  });

  it("at a past time (a late purchase's tier), asked up to 400 days later: qualifyingAtSql", async () => {
    for (const at of times) {
      const { member, made } = await memberWith(new Date(at.getTime() + Math.floor(rand() * 400 * DAY)));
      const { rows } = await client.query(`SELECT ${qualifyingAtSql("$1::uuid", "$2::timestamptz", "$3::timestamptz")} AS q`, [member, at, qualifyingWindowStart(at)]);
      expect([at.toISOString(), Number(rows[0].q)]).toEqual([at.toISOString(), qualifyingPointsAt(made, at)]);
    }
  });
});
