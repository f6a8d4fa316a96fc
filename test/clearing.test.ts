import type { Client } from "pg";
import { MEMBER_POINTS_CAP } from "../subgraphs/ledger/src/limits";
import { TIER_MULTIPLIER_PERCENT, TIER_THRESHOLDS, addMonths, qualifyingWindowStart } from "../subgraphs/ledger/src/rules";
import {
  counterparts, expectClearingConsistent, ledgerClient, monthStart, periodOf, setTerms, statementOf, travelTo,
} from "./support/clearing";
import { createReward, enrollMember, recordPurchase, redeem, registerPartner } from "./support/fixtures";
import { fails, ok, unique } from "./support/gateway";
import { expectLedgerConsistent, ledgerTool, travel } from "./support/ledger";
import { chainHash } from "../subgraphs/ledger/src/clearing/hash-chain";

/**
 * A scripted coalition through the gateway, in a month ten years ahead (so no other suite posts into
 * the months this one closes). Every figure below is worked out by hand in the comments; prices are
 * cents per 1,000 points, so 1,000 points at 1,500 are 15.00 € (1,500 cents).
 */
const HOUR = 3_600_000;
const P = monthStart(new Date(Date.now() + 3650 * 86_400_000), 1);
const NEXT = monthStart(P, 1);
const period = periodOf(P);
const nextPeriod = periodOf(NEXT);
const CLOSE = `mutation($p: String!) { closeSettlementPeriod(period: $p) { period status currency closedAt hash moneyIn moneyOut margin float coalitionPointsIssued
  statements { partner { id } number hash netAmount pointsIssued } } }`;
const REPORT = CLOSE.replace("mutation", "query").replace("closeSettlementPeriod", "clearing");

let G: { id: string; currency: string; slug: string; pointsPerUnit: number }; // grocer: terms change mid-month
let A: typeof G; // airline
let C: typeof G; // coffee shop, PREPAID
let N: typeof G; // no terms at all
const members: string[] = [];
const coalitionOutstanding = async (): Promise<number> => (await ok(`query { coalitionLiability { pointsOutstanding } }`)).coalitionLiability.pointsOutstanding;

beforeAll(async () => {
  await travelTo(new Date(P.getTime() + 24 * HOUR));
  [G, A, C, N] = await Promise.all([0, 1, 2, 3].map(() => registerPartner({ pointsPerUnit: 1, returnWindowDays: 0 })));
  for (let i = 0; i < 3; i++) members.push((await enrollMember()).id);
});
afterAll(() => travel(0));

describe("the clearing house, one month of a coalition", () => {
  it("values every movement at the terms in force when it was posted", async () => {
    const [m1, m2, m3] = members;
    // Every suite's points are in the coalition's total (a member taken down to −2,147,483,647 by adjustments, say): what this month adds is compared.
    const coalitionBefore = await coalitionOutstanding();
    await setTerms(G.id, { issue: 1000, redemption: 800, share: 50 });
    await setTerms(A.id, { issue: 2000, redemption: 1200, share: 25 });
    await setTerms(C.id, { issue: 500, redemption: 600, share: 0, billing: "PREPAID" });
    await ok(`mutation { addPrepaidPoints(input: { partnerId: "${C.id}", points: 1000, reference: "inv-1" }) { id } }`);

    const p1 = await recordPurchase(G, m1, 600_000); // 6,000 points at 1,000: 6,000 cents
    expect((await recordPurchase(G, m1, 100_000)).points).toBe(1_250); // SILVER now: 1,000 × 1.25, at 1,000: 1,250 cents
    await travelTo(new Date(P.getTime() + 25 * HOUR));
    await setTerms(G.id, { issue: 1500, redemption: 900, share: 40 }); // version 2, from now on
    await recordPurchase(G, m2, 200_000); // 2,000 points at 1,500: 3,000 cents
    // A sixth of p1 refunded: 1,000 points credited at the 1,000 they were charged, not today's 1,500: −1,000 cents.
    await ok(`mutation($i: ReversePurchaseInput!) { reversePurchase(input: $i) { id } }`, { i: { partnerId: G.id, reference: p1.reference, amountMinor: 100_000 } });
    await recordPurchase(A, m2, 50_000); // 500 points at 2,000: 1,000 cents
    await recordPurchase(C, m3, 80_000); // 800 of C's 1,000 prepaid points, at 500: 400 cents
    await fails(`mutation($i: RecordPurchaseInput!) { recordPurchase(input: $i) { id } }`,
      { i: { partnerId: C.id, memberId: m3, amountMinor: 30_000, currency: "EUR", reference: unique("r") } }, "LIMIT_EXCEEDED"); // 300 > 200 left
    // Transfers move no money: 300 of m2's grocer points (its oldest lot) go to m3, keeping their price.
    await ok(`mutation($i: TransferPointsInput!) { transferPoints(input: $i) { id } }`, { i: { fromMemberId: m2, toMemberId: m3, points: 300, idempotencyKey: unique("t") } });
    const [a1000, a300, g500] = [await createReward(A.id, { costPoints: 1000 }), await createReward(A.id, { costPoints: 300 }), await createReward(G.id, { costPoints: 500 })];
    // m2 spends grocer points at the airline (its grocer lot expires first): 1,300 at A's 1,200 = 1,560 cents paid to A.
    const r1 = (await redeem(m2, a1000.id)).redeemReward;
    await redeem(m2, a300.id);
    // m3 at the grocer: 300 transferred grocer points, then 200 of C's; 500 at G's 900 = 450 cents paid to G.
    await redeem(m3, g500.id);
    await setTerms(A.id, { issue: 2000, redemption: 5000, share: 25 });
    // Cancelled: what was paid (1,000 at 1,200 = 1,200 cents) is taken back, not at A's new 5,000.
    await ok(`mutation($id: ID!) { cancelRedemption(id: $id) { status } }`, { id: r1.id });
    await recordPurchase(N, m3, 10_000); // 100 points, no terms: worth nothing

    expect(await statementOf(G.id, period)).toEqual({
      period, status: "OPEN", currency: "EUR", number: null, hash: null,
      pointsIssued: 9_250, pointsReversed: 1_000, pointsRedeemed: 500, pointsExpired: 0,
      issuedAmount: 10_250, reversedAmount: -1_000, redeemedAmount: -450, expiredAmount: 0, netAmount: 8_800, // 10,250 − 1,000 − 450
      lines: [{ kind: "PURCHASES_ISSUED", points: 9_250, amount: 10_250 }, { kind: "REFUNDS", points: 1_000, amount: -1_000 }, { kind: "REDEMPTIONS", points: 500, amount: -450 }],
      counterparts: expect.any(Array),
    });
    // G's points redeemed at A: 1,300 − 1,000 cancelled; C's points redeemed at G: 200 (G's own 300 are not a counterpart).
    expect(counterparts(await statementOf(G.id, period))).toEqual({ [A.id]: [300, 0], [C.id]: [0, 200] });
    const a = await statementOf(A.id, period);
    expect(a).toMatchObject({ pointsIssued: 500, pointsRedeemed: 300, issuedAmount: 1_000, redeemedAmount: -360, netAmount: 640 }); // 1,000 − 1,560 + 1,200
    expect(a.lines).toEqual([
      { kind: "PURCHASES_ISSUED", points: 500, amount: 1_000 },
      { kind: "REDEMPTIONS", points: 1_300, amount: -1_560 },
      { kind: "REDEMPTION_CANCELLATIONS", points: 1_000, amount: 1_200 },
    ]);
    expect(counterparts(a)).toEqual({ [G.id]: [0, 300] });
    expect(await statementOf(C.id, period)).toMatchObject({ pointsIssued: 800, netAmount: 400, lines: [{ kind: "PURCHASES_ISSUED", points: 800, amount: 400 }] });
    expect(counterparts(await statementOf(C.id, period))).toEqual({ [G.id]: [200, 0] });
    expect(await statementOf(N.id, period)).toMatchObject({ pointsIssued: 100, netAmount: 0, lines: [{ kind: "PURCHASES_ISSUED", points: 100, amount: 0 }] });

    const { partner } = await ok(`query($id: ID!, $from: DateTimeISO!, $to: DateTimeISO!) {
      partner(id: $id) { terms { version issuePricePer1000 } termsHistory { version } liability { pointsOutstanding value expectedBreakageRate currency }
                         settlement(from: $from, to: $to) { pointsIssued pointsReversed pointsRedeemed outstandingLiability } } }`, { id: G.id, from: P.toISOString(), to: NEXT.toISOString() });
    expect(partner.terms).toEqual({ version: 2, issuePricePer1000: 1500 });
    expect(partner.termsHistory).toEqual([{ version: 1 }, { version: 2 }]);
    // Outstanding: 9,250 − 1,000 refunded − 300 redeemed at A − 300 at G = 7,650: 6,250 charged at 1,000 and 1,400 at 1,500 = 8,350 cents.
    expect(partner.liability).toEqual({ pointsOutstanding: 7_650, value: 8_350, expectedBreakageRate: null, currency: "EUR" });
    expect(partner.settlement).toEqual({ pointsIssued: 9_250, pointsReversed: 1_000, pointsRedeemed: 500, outstandingLiability: 7_650 });
    expect(await ok(`query { x: partner(id: "${C.id}") { prepaidPointsRemaining terms { billing } } y: partner(id: "${N.id}") { terms { version } termsHistory { version } prepaidPointsRemaining } }`))
      .toEqual({ x: { prepaidPointsRemaining: 200, terms: { billing: "PREPAID" } }, y: { terms: null, termsHistory: [], prepaidPointsRemaining: 0 } });
    // What the coalition's total gained: these four issuers' 7,650 + 500 + 600 (800 less 200 redeemed at G) + 100.
    expect((await coalitionOutstanding()) - coalitionBefore).toBe(8_850);
    await expectLedgerConsistent();
    await expectClearingConsistent();
  });

  let closed: Record<string, any>;
  it("closes the month once it has ended: stored, numbered, hashed; closing twice returns the same report", async () => {
    await fails(CLOSE, { p: period }, "BAD_USER_INPUT"); // not over yet
    expect((await ok(REPORT, { p: period })).clearing).toMatchObject({ status: "OPEN", hash: null, closedAt: null, moneyIn: 12_850, moneyOut: 3_010, margin: 9_840 });
    await travelTo(new Date(NEXT.getTime() + HOUR));
    // The float counts every month up to this one: whatever priced partners of the suites run before moved (this month is ten years away from theirs).
    const floatBefore = (await ok(`query($p: String!) { clearing(period: $p) { float } }`, { p: periodOf(monthStart(P, -1)) })).clearing.float;
    closed = (await ok(CLOSE, { p: period })).closeSettlementPeriod;
    expect(closed).toMatchObject({ period, status: "CLOSED", currency: "EUR", moneyIn: 12_850, moneyOut: 3_010, margin: 9_840, float: floatBefore + 9_840, coalitionPointsIssued: 0 });
    // In: 10,250 + 1,000 + 1,200 + 400; out: 1,000 + 450 + 1,560; margin = the nets 8,800 + 640 + 400 + 0.
    // These four, and any partner with terms from the suites run before (every partner with terms gets a statement).
    expect(closed.statements.map((s: { partner: { id: string } }) => s.partner.id)).toEqual(expect.arrayContaining([G.id, A.id, C.id, N.id]));
    expect(closed.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(closed.statements.map((s: { number: number }) => s.number)).size).toBe(closed.statements.length);
    expect((await ok(CLOSE, { p: period })).closeSettlementPeriod).toEqual(closed);
    expect((await ok(REPORT, { p: period })).clearing).toEqual(closed);

    // Posted after the close: the open month's. 125 points (SILVER) at 1,500 = 187.5 → 188 cents, rounded once for the line.
    await recordPurchase(G, members[0], 10_000);
    const g = await statementOf(G.id, period);
    const mine = closed.statements.find((s: { partner: { id: string } }) => s.partner.id === G.id);
    expect(g).toMatchObject({ status: "CLOSED", number: mine.number, hash: mine.hash, pointsIssued: 9_250, netAmount: 8_800 });
    expect(await statementOf(G.id, nextPeriod)).toMatchObject({ status: "OPEN", pointsIssued: 125, issuedAmount: 188, netAmount: 188 });
    await expectClearingConsistent();

    const csv = await ledgerTool("clearing-export", ["--period", period]);
    expect(csv.code).toBe(0);
    expect(csv.output).toContain(`${period},CLOSED,${mine.number},${G.id},EUR,PURCHASES_ISSUED,9250,10250,${mine.hash}`);
    expect(csv.output).toContain(`${period},CLOSED,${mine.number},${G.id},EUR,NET,,8800,${mine.hash}`);
  });

  it("a purchase racing the close: one in flight is in the closed statement, one for the closed month after it fails retryably", async () => {
    await travelTo(new Date(monthStart(P, 2).getTime() + HOUR));
    const lastSecond = new Date(monthStart(P, 2).getTime() - 1000); // posted in the next month, just before its end
    const [x, y] = [await ledgerClient(), await ledgerClient()];
    try {
      await x.query("BEGIN");
      await writePurchase(x, members[1], lastSecond); // 100 points (BASE) at 1,500, not committed yet
      let settled = false;
      const closing = ok(CLOSE, { p: nextPeriod }).then((r) => ((settled = true), r.closeSettlementPeriod));
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(settled).toBe(false); // the close waits for the writer in flight
      await x.query("COMMIT");
      const report = await closing;
      // 125 + 100 = 225 points at 1,500: 337.5 → 338 cents.
      expect(report.statements.find((s: { partner: { id: string } }) => s.partner.id === G.id)).toMatchObject({ pointsIssued: 225, netAmount: 338 });
      const key = unique("late");
      await expect(writePurchase(y, members[1], lastSecond, key)).rejects.toMatchObject({ code: "55P03" });
      expect((await y.query(`SELECT count(*)::int AS n FROM transactions WHERE idempotency_key = $1`, [`purchase:${G.id}:${key}`])).rows[0].n).toBe(0);
    } finally {
      await Promise.all([x.end(), y.end()]);
    }
    await expectClearingConsistent();
  });

  it("expiry in a later month credits each issuer its breakage share of the price the points were charged", async () => {
    const later = monthStart(P, 26);
    await travelTo(new Date(later.getTime() + 24 * HOUR));
    expect((await ledgerTool("expire", ["--now", new Date(later.getTime() + 24 * HOUR).toISOString()])).code).toBe(0);
    // G's lots left: 6,250 charged at 1,000 and 125 + 400 + 1,000 (returned) + 100 = 1,625 at 1,500; 40%:
    // (6,250,000 + 2,437,500) × 40% = 3,475,000 thousandths of a cent → 3,475 cents.
    expect(await statementOf(G.id, periodOf(later))).toMatchObject({ pointsExpired: 7_875, expiredAmount: -3_475, netAmount: -3_475 });
    expect(await statementOf(A.id, periodOf(later))).toMatchObject({ pointsExpired: 500, expiredAmount: -250 }); // 500 at 2,000, 25%
    expect(await statementOf(C.id, periodOf(later))).toMatchObject({ pointsExpired: 600, expiredAmount: 0 }); // share 0
    await travelTo(new Date(monthStart(later, 1).getTime() + HOUR));
    const { partner } = await ok(`query { partner(id: "${G.id}") { liability { pointsOutstanding value expectedBreakageRate } } }`);
    expect(partner.liability).toEqual({ pointsOutstanding: 0, value: 0, expectedBreakageRate: 1 }); // 7,875 expired, none redeemed in the last 12 months
    await expectLedgerConsistent();
    await expectClearingConsistent();
  });

  it("a month with movements is never skipped: the month after it closes only once it is closed", async () => {
    const later = monthStart(P, 26); // the expiries above; nothing moved in the months between it and the last closed one
    await travelTo(new Date(monthStart(later, 2).getTime() + HOUR));
    const error = await fails(CLOSE, { p: periodOf(monthStart(later, 1)) }, "BAD_USER_INPUT");
    expect(error.message).toBe(`Periods close in order: ${periodOf(later)} has movements and is still open, so it closes first`);
    expect((await ok(REPORT, { p: periodOf(monthStart(later, 1)) })).clearing.status).toBe("OPEN");
    expect((await ok(CLOSE, { p: periodOf(later) })).closeSettlementPeriod).toMatchObject({ period: periodOf(later), status: "CLOSED" });
    expect((await ok(CLOSE, { p: periodOf(monthStart(later, 1)) })).closeSettlementPeriod).toMatchObject({ status: "CLOSED" });
    await expectClearingConsistent();
  });

  it("a closed statement edited in the database is caught by clearing:verify", async () => {
    const db = await ledgerClient();
    const edit = async (from: string, to: string) => {
      await db.query(`ALTER TABLE settlement_statements DISABLE TRIGGER settlement_statements_append_only`);
      await db.query(`UPDATE settlement_statements SET content = replace(content, $3, $4) WHERE partner_id = $1 AND period = $2::date`, [G.id, `${period}-01`, from, to]);
      await db.query(`ALTER TABLE settlement_statements ENABLE TRIGGER settlement_statements_append_only`);
    };
    try {
      await expect(db.query(`UPDATE settlement_statements SET hash = 'x' WHERE partner_id = $1`, [G.id])).rejects.toThrow(/append-only/);
      await edit(`"netAmount":8800`, `"netAmount":88`);
      const tampered = await ledgerTool("clearing-verify");
      expect(tampered.code).toBe(1);
      expect(tampered.output).toMatch(new RegExp(`FAIL closed statements.*\\n.*statement ${period}/${G.id} hash`));
      await edit(`"netAmount":88`, `"netAmount":8800`);
    } finally {
      await db.end();
    }
    await expectClearingConsistent();
  });
});

describe("a closed report rewritten in the database, its hash recomputed to match", () => {
  it("is caught by clearing:verify: its money is recomputed from the running totals, not only rehashed", async () => {
    const db = await ledgerClient();
    const rewrite = async (from: string, to: string) => {
      const [row] = (await db.query(`SELECT content, previous_hash FROM settlement_periods WHERE period = $1::date`, [`${period}-01`])).rows;
      const content = row.content.replace(from, to);
      await db.query(`ALTER TABLE settlement_periods DISABLE TRIGGER settlement_periods_append_only`);
      await db.query(`UPDATE settlement_periods SET content = $2, hash = $3 WHERE period = $1::date`, [`${period}-01`, content, chainHash(row.previous_hash, content)]);
      await db.query(`ALTER TABLE settlement_periods ENABLE TRIGGER settlement_periods_append_only`);
    };
    try {
      // Money in 12,850 and margin 9,840 (the worked example) stated as 2,850 and −160: every statement untouched, the report's hash consistent with its text.
      await rewrite(`"margin":9840,"moneyIn":12850`, `"margin":-160,"moneyIn":2850`);
      const tampered = await ledgerTool("clearing-verify");
      expect(tampered.code).toBe(1);
      expect(tampered.output).toContain(`report ${period} totals`);
      await rewrite(`"margin":-160,"moneyIn":2850`, `"margin":9840,"moneyIn":12850`);
    } finally {
      await db.end();
    }
    await expectClearingConsistent();
  });
});

describe("the latest closed report deleted in the database with its statements", () => {
  it("is caught by clearing:verify: the audit trail's line of the close finds no report (the hash chain alone still holds)", async () => {
    const db = await ledgerClient();
    const [latest] = (await db.query(`SELECT to_char(period, 'YYYY-MM') AS text FROM settlement_periods ORDER BY period DESC LIMIT 1`)).rows;
    const day = `${latest.text}-01`;
    const report = (await db.query(`SELECT * FROM settlement_periods WHERE period = $1::date`, [day])).rows[0];
    const statements = (await db.query(`SELECT * FROM settlement_statements WHERE period = $1::date`, [day])).rows;
    const triggers = async (action: "DISABLE" | "ENABLE") => {
      for (const table of ["settlement_statements", "settlement_periods"]) await db.query(`ALTER TABLE ${table} ${action} TRIGGER ${table}_append_only`);
    };
    try {
      await triggers("DISABLE");
      await db.query(`DELETE FROM settlement_statements WHERE period = $1::date`, [day]);
      await db.query(`DELETE FROM settlement_periods WHERE period = $1::date`, [day]);
      await triggers("ENABLE");
      const tampered = await ledgerTool("clearing-verify");
      expect(tampered.code).toBe(1);
      expect(tampered.output).toMatch(new RegExp(`FAIL closed statements and reports that changed or went missing[^\\n]*: 1\\n.*report ${latest.text} missing`));
    } finally {
      await triggers("DISABLE");
      await db.query(`INSERT INTO settlement_periods (period, closed_at, content, previous_hash, hash) VALUES ($1::date, $2, $3, $4, $5)`, [day, report.closed_at, report.content, report.previous_hash, report.hash]);
      for (const s of statements) {
        await db.query(`INSERT INTO settlement_statements (number, period, partner_id, content, previous_hash, hash) OVERRIDING SYSTEM VALUE VALUES ($1, $2::date, $3, $4, $5, $6)`, [
          s.number, day, s.partner_id, s.content, s.previous_hash, s.hash,
        ]);
      }
      await triggers("ENABLE");
      await db.end();
    }
    await expectClearingConsistent();
  });
});

/** One purchase through record_purchases itself (as the ledger writes it), posted at `now`. */
async function writePurchase(db: Client, memberId: string, now: Date, reference = unique("race")) {
  return db.query(
    `SELECT * FROM record_purchases($1::text[], $2::text[], $3::uuid[], $4::uuid[], $5::text[], $6::bigint[], $7::int[], $8::timestamptz[], $9::timestamptz[],
       $10::timestamptz[], $11::timestamptz[], $12::timestamptz[], $13::uuid[], $14::bigint[], $15::int[], $16, $17)`,
    [[`purchase:${G.id}:${reference}`], ["race"], [memberId], [G.id], [reference], [10_000], [100], [now], [now], [addMonths(now, 24)], [null],
      [qualifyingWindowStart(now)], [], TIER_THRESHOLDS.map((t) => t.threshold), TIER_THRESHOLDS.map((t) => TIER_MULTIPLIER_PERCENT[t.tier]), now, MEMBER_POINTS_CAP],
  );
}
