import { expectClearingConsistent, monthStart, periodOf, setTerms, statementOf, travelTo } from "./support/clearing";
import { createReward, enrollMember, recordPurchase, redeem, registerPartner } from "./support/fixtures";
import { ok, unique } from "./support/gateway";
import { expectLedgerConsistent, ledgerTool } from "./support/ledger";
import { useDedicatedStack } from "./support/dedicated-stack";

/**
 * Two readings of the clearing house that disagreed (issue 16's known defects), each checked through the
 * gateway against numbers worked out by hand. Prices are cents per 1,000 points; 1 point per euro (100
 * minor units); points expire 24 months after they are earned (POINTS_EXPIRY_MONTHS' default).
 *
 * 1. What a partner still owes its members: `Partner.liability` (points and their value at the prices
 *    charged) and `Partner.settlement.outstandingLiability` (points) count the same lots, from one
 *    definition (sql/liability.ts): open points not past their expiry. Points past their expiry that the
 *    expiry run has not posted yet are never spendable, so they are no liability either (the liability
 *    counted them until the run posted them; the settlement did not).
 * 2. A negative adjustment a partner funds is credited at the price each lot it took was charged (as a
 *    refund is), not at the funder's price today; what the member could not cover (owed) at the funder's
 *    issue price in force.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// A month of a stack of its own, far enough ahead that nothing else is posted there.
const T0 = new Date(monthStart(new Date(Date.now() + 3650 * DAY)).getTime() + DAY + 10 * HOUR); // the 2nd, 10:00 UTC
const after = (days: number) => new Date(T0.getTime() + days * DAY);
/** 24 months after T0, the same instant: when T0's points expire. */
const EXPIRY_OF_T0 = new Date(Date.UTC(T0.getUTCFullYear() + 2, T0.getUTCMonth(), T0.getUTCDate(), 10));

const LIABILITY = `query($id: ID!) { partner(id: $id) { liability { pointsOutstanding value } } }`;
const COALITION = `{ coalitionLiability { pointsOutstanding value } }`;
const SETTLED = `query($id: ID!, $from: DateTimeISO!, $to: DateTimeISO!) { partner(id: $id) { settlement(from: $from, to: $to) { outstandingLiability } } }`;
const ADJUST = `mutation($i: AdjustPointsInput!) { adjustPoints(input: $i) { id points } }`;
const liabilityOf = async (id: string) => (await ok(LIABILITY, { id })).partner.liability;
const outstandingOf = async (id: string) =>
  (await ok(SETTLED, { id, from: T0.toISOString(), to: after(1).toISOString() })).partner.settlement.outstandingLiability;
const lines = (s: { lines: { kind: string; points: number; amount: number }[] }) => Object.fromEntries(s.lines.map((l) => [l.kind, [l.points, l.amount]]));
const balanceOf = async (id: string) => (await ok(`query($id: ID!) { member(id: $id) { balance { available } } }`, { id })).member.balance.available;
const adjust = (memberId: string, points: number, fundedByPartnerId: string) =>
  ok(ADJUST, { i: { memberId, points, reason: "GOODWILL", note: "care", idempotencyKey: unique("adj"), fundedByPartnerId } });
const verifyBoth = async () => {
  await expectLedgerConsistent();
  await expectClearingConsistent();
};

// A stack of its own: this file moves the ledger's clock two years on, runs the expiry for everyone, reads the
// coalition's total, and its priced partners would count in the shared stack's float. The shared helpers read these variables.
const dedicated = useDedicatedStack("liability_take_backs", { NODE_ENV: "test", LEDGER_TEST_CLOCK: "1", EXPIRY_RUN_SECONDS: "0", REDEMPTION_SWEEP_SECONDS: "86400", RATE_LIMIT_ANONYMOUS_PER_MINUTE: "0" });
const POINTED = ["TEST_GATEWAY_URL", "TEST_JWT_SECRET", "TEST_DATABASE_NAME_SUFFIX", "TEST_LEDGER_URL", "TEST_MEMBERS_URL", "TEST_PARTNERS_URL", "TEST_CATALOG_URL"] as const;
const saved: Record<string, string | undefined> = {};
beforeAll(() => {
  for (const name of POINTED) saved[name] = process.env[name];
  process.env.TEST_GATEWAY_URL = dedicated.stack.gatewayUrl;
  process.env.TEST_JWT_SECRET = dedicated.stack.env.JWT_SECRET;
  process.env.TEST_DATABASE_NAME_SUFFIX = dedicated.suffix;
  for (const name of ["ledger", "members", "partners", "catalog"] as const) process.env[`TEST_${name.toUpperCase()}_URL`] = dedicated.stack.services[name].url;
});
// No travel back: the stack and its clock go with the file.
afterAll(() => {
  for (const name of POINTED) process.env[name] = saved[name];
});

describe("Partner.liability and Partner.settlement's outstandingLiability count the same lots", () => {
  it("open, partly spent, past expiry but not yet expired by the run, and erased: both by hand, before and after the run", async () => {
    await travelTo(T0);
    const shop = await registerPartner({ pointsPerUnit: 1, returnWindowDays: 0 });
    await setTerms(shop.id, { issue: 1_500, redemption: 1_000, share: 50 });
    const [m1, m2, m3] = [(await enrollMember()).id, (await enrollMember()).id, (await enrollMember()).id];
    // m1: 1,000 points at 1,500, expiring at T0 + 24 months.
    await recordPurchase(shop, m1, 100_000);
    // m3: 200 points at 1,500, forfeited by the erasure (its lot emptied, its points the shop's breakage).
    await recordPurchase(shop, m3, 20_000);
    expect(await ok(`mutation($id: ID!) { eraseMember(id: $id) }`, { id: m3 })).toEqual({ eraseMember: true });

    // Ten days later, new terms: m2's 401 points at 2,001, 150 of them spent at the shop: 251 left, expiring at T0 + 24 months + 10 days.
    await travelTo(after(10));
    await setTerms(shop.id, { issue: 2_001, redemption: 1_000, share: 50 });
    await recordPurchase(shop, m2, 40_100);
    await redeem(m2, (await createReward(shop.id, { costPoints: 150 })).id);
    // Now: m1's 1,000 × 1,500 = 1,500,000 and m2's 251 × 2,001 = 502,251 (thousandths of a cent): 2,002,251, so 2,002 cents.
    expect(await liabilityOf(shop.id)).toEqual({ pointsOutstanding: 1_251, value: 2_002 });
    expect(await outstandingOf(shop.id)).toBe(1_251);

    // A day after m1's points expired, before the expiry run posted them: they are never spendable again, and no liability.
    // Left: m2's 251 × 2,001 = 502,251 thousandths of a cent: 502.251, so 502 cents. (Before: the liability still said
    // 1,251 points and 2,002 cents while the settlement said 251.)
    await travelTo(new Date(EXPIRY_OF_T0.getTime() + DAY));
    expect(await liabilityOf(shop.id)).toEqual({ pointsOutstanding: 251, value: 502 });
    expect(await outstandingOf(shop.id)).toBe(251);
    // The only issuer on this stack so far: the coalition's total is the shop's.
    expect((await ok(COALITION)).coalitionLiability).toEqual({ pointsOutstanding: 251, value: 502 });

    // The run posts m1's 1,000 as breakage: 50 % of 1,000 × 1,500 / 1,000 = 750 cents credited. Both figures stay.
    const now = new Date(EXPIRY_OF_T0.getTime() + DAY + HOUR);
    expect((await ledgerTool("expire", ["--now", now.toISOString()])).code).toBe(0);
    expect(lines(await statementOf(shop.id, periodOf(EXPIRY_OF_T0)))).toEqual({ BREAKAGE: [1_000, -750] });
    expect(await liabilityOf(shop.id)).toEqual({ pointsOutstanding: 251, value: 502 });
    expect(await outstandingOf(shop.id)).toBe(251);
    await verifyBoth();
  }, 120_000);
});

describe("a negative adjustment a partner funds", () => {
  it("is credited at the price each lot it took was charged, not the funder's price today; what is owed at the funder's price", async () => {
    const funder = await registerPartner({ pointsPerUnit: 1, returnWindowDays: 0 });
    const other = await registerPartner({ pointsPerUnit: 1, returnWindowDays: 0 });
    await setTerms(funder.id, { issue: 1_234, redemption: 0, share: 0 });
    await setTerms(other.id, { issue: 777, redemption: 0, share: 0 });
    const [m5, m6] = [(await enrollMember()).id, (await enrollMember()).id];
    // m5: 300 points at the funder's 1,234: 300 × 1,234 = 370,200 thousandths of a cent, 370 cents. m6: 50 at the other's 777.
    await recordPurchase(funder, m5, 30_000);
    await recordPurchase(other, m6, 5_000);
    // The funder's price goes up to 3,000 an hour later.
    await travelTo(new Date(EXPIRY_OF_T0.getTime() + DAY + 2 * HOUR));
    await setTerms(funder.id, { issue: 3_000, redemption: 0, share: 0 });
    const period = periodOf(EXPIRY_OF_T0);

    // Care takes 101 points back from m5, funded by the funder: all from m5's lot charged at 1,234.
    // Credited 101 × 1,234 = 124,634 thousandths of a cent: 124.634, so 125 cents (at today's 3,000 it was 303).
    await adjust(m5, -101, funder.id);
    expect(lines(await statementOf(funder.id, period))).toEqual({ PURCHASES_ISSUED: [300, 370], ADJUSTMENTS: [-101, -125] });
    await verifyBoth();

    // 60 from m6, who holds 50 (the other partner's, charged at 777) and owes the other 10, which no lot paid for: at the
    // funder's 3,000. The line: 124,634 + 50 × 777 + 10 × 3,000 = 124,634 + 38,850 + 30,000 = 193,484: 193.484, so 193 cents.
    // (At today's price: 161 × 3,000 = 483 cents.)
    await adjust(m6, -60, funder.id);
    expect(await balanceOf(m6)).toBe(-10);
    expect(lines(await statementOf(funder.id, period))).toEqual({ PURCHASES_ISSUED: [300, 370], ADJUSTMENTS: [-161, -193] });
    // The funder: 370 − 193 = 177. The other partner's statement does not move: its points were taken, its charge stays.
    expect(await statementOf(funder.id, period)).toMatchObject({ pointsIssued: 139, issuedAmount: 177, netAmount: 177 });
    expect(lines(await statementOf(other.id, period))).toEqual({ PURCHASES_ISSUED: [50, 39] }); // 50 × 777 = 38,850: 38.85, so 39
    await verifyBoth();
  }, 120_000);
});
