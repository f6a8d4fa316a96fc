import { counterparts, expectClearingConsistent, monthStart, periodOf, setTerms, statementOf, travelTo } from "./support/clearing";
import { createReward, enrollFriendOf, enrollMember, recordPurchase, redeem, registerPartner } from "./support/fixtures";
import { asMember, asPartnerApp, gql, ok, unique } from "./support/gateway";
import { expectLedgerConsistent, ledgerTool, travel } from "./support/ledger";
import { purchaseWithBonuses } from "./support/campaigns";
import { useDedicatedStack } from "./support/dedicated-stack";

/**
 * An outside judge's scenarios for the clearing house, combining what came after it: campaigns funded by a
 * partner for its own purchases, by another partner for them (cross-funded) and by the coalition; referral
 * bonuses; refunds in proportion (partial, after points left by transfer and were redeemed elsewhere, after
 * expiry); transfers; a cancelled redemption; customer-care adjustments (partner- and coalition-funded, one
 * negative); an erasure's forfeit; expiry; closing; a late purchase after the close. Prices are cents per
 * 1,000 points; every figure worked out by hand in the comments. 1 point per euro (100 minor units), BASE tier.
 */
const HOUR = 3_600_000;
const P = monthStart(new Date(Date.now() + 3 * 3650 * 86_400_000), 0);
const NEXT = monthStart(P, 1);
const E = monthStart(P, 25);
const period = periodOf(P);
const at = (day: number, hour: number) => new Date(P.getTime() + (day - 1) * 24 * HOUR + hour * HOUR);
const CLOSE = `mutation($p: String!) { closeSettlementPeriod(period: $p) { period status moneyIn moneyOut margin coalitionPointsIssued statements { partner { id } netAmount } } }`;
const REPORT = CLOSE.replace("mutation", "query").replace("closeSettlementPeriod", "clearing");
const REVERSE = `mutation($i: ReversePurchaseInput!) { reversePurchase(input: $i) { id points } }`;
const ADJUST = `mutation($i: AdjustPointsInput!) { adjustPoints(input: $i) { id points } }`;
const adjust = (memberId: string, points: number, fundedByPartnerId: string | null) =>
  ok(ADJUST, { i: { memberId, points, reason: "GOODWILL", note: "care", idempotencyKey: unique("adj"), ...(fundedByPartnerId ? { fundedByPartnerId } : {}) } });
const campaign = (input: Record<string, unknown>) =>
  ok(`mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { id } }`, { i: { name: unique("c"), startsAt: at(1, 0).toISOString(), endsAt: at(20, 0).toISOString(), ...input } });
const balanceOf = async (id: string) => (await ok(`query($id: ID!) { member(id: $id) { balance { available } } }`, { id })).member.balance.available;
const lines = (s: { lines: { kind: string; points: number; amount: number }[] }) => Object.fromEntries(s.lines.map((l) => [l.kind, [l.points, l.amount]]));
const liabilityOf = async (id: string) => (await ok(`query($id: ID!) { partner(id: $id) { liability { pointsOutstanding value } } }`, { id })).partner.liability;
const verifyBoth = async () => { await expectLedgerConsistent(); await expectClearingConsistent(); };

// A stack of its own: periods close in order across the whole ledger and the expiry run below expires every member's
// due points, so closing months 30 years ahead, or this file's priced partners in the coalition's float, would change
// what test/clearing.test.ts closes and checks to the cent on the shared stack. The shared helpers read these variables.
const dedicated = useDedicatedStack("clearing_judged", { NODE_ENV: "test", LEDGER_TEST_CLOCK: "1", EXPIRY_RUN_SECONDS: "0", REDEMPTION_SWEEP_SECONDS: "86400", RATE_LIMIT_ANONYMOUS_PER_MINUTE: "0" });
const POINTED = ["TEST_GATEWAY_URL", "TEST_JWT_SECRET", "TEST_DATABASE_NAME_SUFFIX", "TEST_LEDGER_URL", "TEST_MEMBERS_URL", "TEST_PARTNERS_URL", "TEST_CATALOG_URL"] as const;
const saved: Record<string, string | undefined> = {};
beforeAll(() => {
  for (const name of POINTED) saved[name] = process.env[name];
  process.env.TEST_GATEWAY_URL = dedicated.stack.gatewayUrl;
  process.env.TEST_JWT_SECRET = dedicated.stack.env.JWT_SECRET;
  process.env.TEST_DATABASE_NAME_SUFFIX = dedicated.suffix;
  for (const name of ["ledger", "members", "partners", "catalog"] as const) process.env[`TEST_${name.toUpperCase()}_URL`] = dedicated.stack.services[name].url;
});
afterAll(() => {
  for (const name of POINTED) process.env[name] = saved[name];
});

let G: Awaited<ReturnType<typeof registerPartner>>; // grocer 1,000 / 800 / 50 %
let A: typeof G; // airline 2,000 / 1,200 / 25 %
let H: typeof G; // hotel 1,500 / 1,000 / 40 %
let m1: string, m2: string, m3: string, m4: string, m6: string;
let m3Purchase: string, m6Purchase: string, hotelRedemption: string;

beforeAll(async () => {
  await travelTo(at(1, 1));
  [G, A, H] = await Promise.all([0, 1, 2].map(() => registerPartner({ pointsPerUnit: 1, returnWindowDays: 0 })));
  await setTerms(G.id, { issue: 1000, redemption: 800, share: 50 });
  await setTerms(A.id, { issue: 2000, redemption: 1200, share: 25 });
  await setTerms(H.id, { issue: 1500, redemption: 1000, share: 40 });
  m1 = (await enrollMember()).id;
  m3 = (await enrollFriendOf(m1)).id;
  m2 = (await enrollMember()).id;
  m4 = (await enrollMember()).id;
  m6 = (await enrollMember()).id;
}, 60_000);
afterAll(() => travel(0));

describe("a month of a coalition with campaigns, referrals, transfers, care and erasure", () => {
  it("campaigns funded by the grocer, by the airline for the grocer's purchases and by the coalition, and referrals", async () => {
    await campaign({ fundedByPartnerId: G.id, partnerIds: [G.id], bonusPercent: 10 }); // CG
    await campaign({ fundedByPartnerId: A.id, partnerIds: [G.id], bonusPoints: 200 }); // CX: the airline pays for grocer purchases
    await campaign({ partnerIds: [A.id], bonusPoints: 100 }); // CC: the coalition's
    await travelTo(at(1, 10));
    // m3 (m1's friend) at G: 2,000 points (2,000 c to G), CG 200 (200 c to G), CX 200 (at A's 2,000: 400 c to A), referral 500 + 500 (coalition).
    const first = await purchaseWithBonuses(G, m3, 200_000);
    m3Purchase = first.reference;
    expect(first.points).toBe(2_000);
    expect(first.bonuses.map((b) => b.points).sort()).toEqual([200, 200, 500]);
    expect(await balanceOf(m1)).toBe(500);
    await travelTo(at(1, 11));
    // m2 at A: 1,000 points (2,000 c to A), CC 100 (coalition).
    expect((await purchaseWithBonuses(A, m2, 100_000)).bonuses.map((b) => b.points)).toEqual([100]);
    expect(lines(await statementOf(G.id, period))).toEqual({ PURCHASES_ISSUED: [2_000, 2_000], BONUSES_ISSUED: [200, 200] });
    expect(lines(await statementOf(A.id, period))).toEqual({ PURCHASES_ISSUED: [1_000, 2_000], BONUSES_ISSUED: [200, 400] });
    await verifyBoth();
  });

  it("a partial refund gives back the purchase, each funder's bonus at its price, and both referral bonuses in proportion", async () => {
    await travelTo(at(1, 12));
    // Half: 1,000 purchase points, CG 100, CX 100, 250 of each referral bonus.
    expect((await ok(REVERSE, { i: { partnerId: G.id, reference: m3Purchase, amountMinor: 100_000, refundReference: unique("rf") } })).reversePurchase.points).toBe(-1_000);
    expect(await balanceOf(m3)).toBe(2_900 - 1_450);
    expect(await balanceOf(m1)).toBe(250);
    expect(lines(await statementOf(G.id, period))).toEqual({ PURCHASES_ISSUED: [2_000, 2_000], BONUSES_ISSUED: [100, 100], REFUNDS: [1_000, -1_000] });
    expect(lines(await statementOf(A.id, period))).toEqual({ PURCHASES_ISSUED: [1_000, 2_000], BONUSES_ISSUED: [100, 200] });
    await verifyBoth();
  });

  it("transfers move no money; redemptions pay the redeeming partner; a cancellation takes back what was paid", async () => {
    await travelTo(at(1, 13));
    // m3's 1,450 (G 1,000 + G 100 + A 100 + coalition 250) to m2: their expiry is before m2's own.
    await ok(`mutation($i: TransferPointsInput!) { transferPoints(input: $i) { id } }`, { i: { fromMemberId: m3, toMemberId: m2, points: 1_450, idempotencyKey: unique("t") } });
    expect(lines(await statementOf(G.id, period))).toEqual({ PURCHASES_ISSUED: [2_000, 2_000], BONUSES_ISSUED: [100, 100], REFUNDS: [1_000, -1_000] });
    await travelTo(at(1, 14));
    // At H, 1,450: exactly the transferred lots (G 1,100, A 100, coalition 250): 1,450 c to H.
    hotelRedemption = (await redeem(m2, (await createReward(H.id, { costPoints: 1_450 })).id)).redeemReward.id;
    expect(counterparts(await statementOf(H.id, period))).toEqual({ [G.id]: [0, 1_100], [A.id]: [0, 100] });
    await travelTo(at(1, 15));
    // At G, 1,100: m2's own A 1,000 and coalition 100: 1,100 × 800 = 880 c to G.
    await redeem(m2, (await createReward(G.id, { costPoints: 1_100 })).id);
    await travelTo(at(1, 16));
    await ok(`mutation($id: ID!) { cancelRedemption(id: $id) { status } }`, { id: hotelRedemption });
    expect(await balanceOf(m2)).toBe(1_450);
    expect(lines(await statementOf(H.id, period))).toEqual({ REDEMPTIONS: [1_450, -1_450], REDEMPTION_CANCELLATIONS: [1_450, 1_450] });
    await verifyBoth();
  });

  it("a refund after the purchase's points left by transfer and were spent elsewhere credits the price charged, and leaves a debt", async () => {
    await travelTo(at(1, 17));
    // The other half: 1,000 + 100 + 100 + 250 from m3, who holds nothing: a debt of 1,450; m1's 250 referral points go back.
    expect((await ok(REVERSE, { i: { partnerId: G.id, reference: m3Purchase, amountMinor: 100_000, refundReference: unique("rf") } })).reversePurchase.points).toBe(-1_000);
    expect(await balanceOf(m3)).toBe(-1_450);
    expect(await balanceOf(m1)).toBe(0);
    expect(lines(await statementOf(G.id, period))).toEqual({ PURCHASES_ISSUED: [2_000, 2_000], BONUSES_ISSUED: [0, 0], REFUNDS: [2_000, -2_000], REDEMPTIONS: [1_100, -880] });
    expect(lines(await statementOf(A.id, period))).toEqual({ PURCHASES_ISSUED: [1_000, 2_000], BONUSES_ISSUED: [0, 0] });
    // Liability is what members still hold of each issuer's points: m2 holds the G 1,000 + 100 and the A 100 the cancellation
    // gave back (the refund took nothing of them: m3 owes it). Before, G's was 2,000 issued − 2,000 refunded = 0 and A's
    // 1,200 − 200 refunded − 1,000 redeemed at G = 0, as if nobody held them.
    expect(await liabilityOf(G.id)).toEqual({ pointsOutstanding: 1_100, value: 1_100 });
    expect(await liabilityOf(A.id)).toEqual({ pointsOutstanding: 100, value: 200 });
    await verifyBoth();
  });

  it("care adjustments are charged to their funder; a negative one is credited; an erasure's forfeit is breakage", async () => {
    await travelTo(at(1, 18));
    await adjust(m2, 300, H.id); // 300 at 1,500: 450 c to H
    await adjust(m2, 50, null); // the coalition's
    await recordPurchase(H, m4, 50_000); // 500 at 1,500: 750 c
    // Takes 100 of m4's H lot, charged at 1,500: A, the funder, is credited 100 × 1,500 / 1,000 = −150 c, what H paid for
    // them (not at A's own 2,000: −200 c, as before AdjustmentTakesAtLotPrices1734940000000).
    await adjust(m4, -100, A.id);
    await travelTo(at(1, 19));
    expect(await ok(`mutation($id: ID!) { eraseMember(id: $id) }`, { id: m4 })).toEqual({ eraseMember: true });
    // H's 400 left forfeited: 40 % of 400 × 1,500 = 240 c credited.
    expect(lines(await statementOf(H.id, period))).toEqual({
      PURCHASES_ISSUED: [500, 750], ADJUSTMENTS: [300, 450], REDEMPTIONS: [1_450, -1_450], REDEMPTION_CANCELLATIONS: [1_450, 1_450], BREAKAGE: [400, -240],
    });
    expect(lines(await statementOf(A.id, period))).toEqual({ PURCHASES_ISSUED: [1_000, 2_000], BONUSES_ISSUED: [0, 0], ADJUSTMENTS: [-100, -150] });
    // m6 at H on day 2: 1,000 at 1,500 = 1,500 c; on day 3, 400 of them at G: 320 c to G.
    await travelTo(at(2, 10));
    m6Purchase = (await recordPurchase(H, m6, 100_000)).reference;
    await travelTo(at(3, 10));
    await redeem(m6, (await createReward(G.id, { costPoints: 400 })).id);
    await verifyBoth();
  });

  it("the month's statements and report, by hand; closing it; a late purchase lands in the open month", async () => {
    const g = await statementOf(G.id, period);
    // G: 2,000 − 2,000 + 0 − (1,100 + 400) × 800 / 1,000 = −1,200.
    expect(g).toMatchObject({ status: "OPEN", pointsIssued: 2_000, pointsReversed: 2_000, pointsRedeemed: 1_500, pointsExpired: 0, issuedAmount: 2_000, reversedAmount: -2_000, redeemedAmount: -1_200, netAmount: -1_200 });
    // Redeemed at G: 1,000 of A's and 400 of H's; G's at H: 1,100 − 1,100 cancelled.
    expect(counterparts(g)).toMatchObject({ [A.id]: [0, 1_000], [H.id]: [0, 400] });
    // A: 2,000 + 0 − 150 = 1,850.
    expect(await statementOf(A.id, period)).toMatchObject({ pointsIssued: 900, issuedAmount: 1_850, netAmount: 1_850 });
    // H: 750 + 1,500 + 450 − 1,450 + 1,450 − 240 = 2,460.
    expect(await statementOf(H.id, period)).toMatchObject({ pointsIssued: 1_800, pointsRedeemed: 0, pointsExpired: 400, issuedAmount: 2_700, redeemedAmount: 0, expiredAmount: -240, netAmount: 2_460 });
    // In: G 2,000; A 2,000; H 2,250 + 450 + 1,450 = 4,150: 8,150. Out: G 2,000 + 1,200; A 150; H 1,450 + 240: 5,040. Margin 3,110.
    // Coalition: referrals 1,000 − 1,000, CC 100, the adjustment 50: 150.
    await travelTo(new Date(NEXT.getTime() + HOUR));
    const closed = (await ok(CLOSE, { p: period })).closeSettlementPeriod;
    expect(closed).toMatchObject({ status: "CLOSED", moneyIn: 8_150, moneyOut: 5_040, margin: 3_110, coalitionPointsIssued: 150 });
    expect((await ok(REPORT, { p: period })).clearing).toEqual(closed);
    // A purchase made in P, recorded after the close: NEXT's (posting time). 100 at 1,000 = 100 c (and CG's 10 %, if its window counts occurredAt: 10 c).
    const late = await purchaseWithBonuses(G, m2, 10_000, { occurredAt: at(5, 12).toISOString() });
    // Its bonuses: CG's 10 % (10, G's: 10 c) and CX's 200 (A's: 400 c), the campaigns' window being the purchase's time.
    expect(late.bonuses.map((b) => b.points).sort()).toEqual([10, 200]);
    const bonus = 10;
    expect(await statementOf(G.id, period)).toMatchObject({ status: "CLOSED", netAmount: -1_200 });
    expect(await statementOf(G.id, periodOf(NEXT))).toMatchObject({ status: "OPEN", pointsIssued: 100 + bonus, netAmount: 100 + bonus });
    expect(lines(await statementOf(A.id, periodOf(NEXT)))).toEqual({ BONUSES_ISSUED: [200, 400] });
    await verifyBoth();
    const again = await Promise.all(Array.from({ length: 30 }, () => gql(CLOSE, { p: period })));
    for (const r of again) expect(r.data?.closeSettlementPeriod).toEqual(closed);
  });

  it("expiry 25 months on is breakage at each issuer's share; a refund of expired points takes the breakage back", async () => {
    await travelTo(new Date(E.getTime() + HOUR));
    expect((await ledgerTool("expire", ["--now", new Date(E.getTime() + HOUR).toISOString(), "--allow-future"])).code).toBe(0);
    const ep = periodOf(E);
    // G: m2's 1,100 (given back by the cancellation) and the late purchase's 100 + 10 (it expires from its occurredAt): 50 % of 1,210 × 1,000 = 605 c.
    expect(lines(await statementOf(G.id, ep))).toEqual({ BREAKAGE: [1_210, -605] });
    // A: m2's 100 and the late purchase's CX 200: 25 % of 300 × 2,000 = 150 c.
    expect(lines(await statementOf(A.id, ep))).toEqual({ BREAKAGE: [300, -150] });
    // H: m2's 300 (care) and m6's 600: 40 % of 900 × 1,500 = 540 c.
    expect(lines(await statementOf(H.id, ep))).toEqual({ BREAKAGE: [900, -540] });
    await verifyBoth();
    // Half of m6's purchase: 500 points, all from its 600 expired: H is credited 500 at 1,500 = 750 c and gives back 40 % of it, 300 c.
    await ok(REVERSE, { i: { partnerId: H.id, reference: m6Purchase, amountMinor: 50_000, refundReference: unique("rf") } });
    expect(lines(await statementOf(H.id, ep))).toEqual({ REFUNDS: [500, -750], BREAKAGE: [400, -240] });
    // The rest: 100 from the breakage (60 c back), 400 from m6, who holds nothing: a debt.
    await ok(REVERSE, { i: { partnerId: H.id, reference: m6Purchase, amountMinor: 50_000, refundReference: unique("rf") } });
    expect(await balanceOf(m6)).toBe(-400);
    expect(await statementOf(H.id, ep)).toMatchObject({ pointsReversed: 1_000, pointsExpired: 300, reversedAmount: -1_500, expiredAmount: -180, netAmount: -1_680 });
    // Nobody holds any of their points now (every lot expired, was spent or forfeited; m3 and m6 owe points, of no issuer).
    // Before, the totals gave G −1,100, A −200 and H −300: a refund that left a debt, and A's negative adjustment that took
    // H's points, counted against the refunding issuer and the funder.
    for (const p of [G, A, H]) expect(await liabilityOf(p.id)).toEqual({ pointsOutstanding: 0, value: 0 });
    await verifyBoth();
  });
});

describe("who may read what", () => {
  it("a partner app reads only its own statement; another's figures are FORBIDDEN, as is a made-up partner", async () => {
    const key = (await ok(`mutation($id: ID!) { issuePartnerApiKey(partnerId: $id) { key } }`, { id: G.id })).issuePartnerApiKey.key;
    const q = `query($id: ID!, $p: String!) { partner(id: $id) { id statement(period: $p) { netAmount } liability { value } } }`;
    expect((await gql(q, { id: G.id, p: period }, asPartnerApp(key))).data?.partner.statement.netAmount).toBe(-1_200);
    const other = await gql(q, { id: A.id, p: period }, asPartnerApp(key));
    expect(other.data?.partner).toMatchObject({ id: A.id, statement: null, liability: null });
    expect(other.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN", "FORBIDDEN"]);
    const report = await gql(REPORT, { p: period }, asPartnerApp(key));
    expect(report.errors?.[0].extensions?.code).toBe("FORBIDDEN");
    // Nor through its own statement's counterparts, nor as a member or anonymously.
    const nested = await gql(`query($id: ID!, $p: String!) { partner(id: $id) { statement(period: $p) { counterparts { partner { id statement(period: $p) { netAmount } liability { value } } } } } }`,
      { id: G.id, p: period }, asPartnerApp(key));
    const others = nested.data?.partner.statement.counterparts.map((c: any) => c.partner);
    expect(others.length).toBeGreaterThan(0);
    for (const o of others) expect(o).toMatchObject({ statement: null, liability: null });
    expect(new Set(nested.errors?.map((e) => e.extensions?.code))).toEqual(new Set(["FORBIDDEN"]));
    expect((await gql(q, { id: G.id, p: period }, asMember(m2))).errors?.[0].extensions?.code).toBe("FORBIDDEN");
    expect((await gql(q, { id: G.id, p: period }, {})).errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("odd periods and ids are refused with BAD_USER_INPUT, never a database error", async () => {
    const q = `query($id: ID!, $p: String!) { partner(id: $id) { statement(period: $p) { netAmount } } }`;
    for (const p of ["2026-13", "2026-00", "0000-01", "99999-01", "2026-1\u0000", "2026-01\u0000", "", "2026-01; drop", "１２３４-01"]) {
      const r = await gql(q, { id: G.id, p });
      expect([p, r.errors?.[0].extensions?.code]).toEqual([p, "BAD_USER_INPUT"]);
      expect(JSON.stringify(r.errors)).not.toMatch(/syntax|postgres|relation|invalid input|0x00/i);
    }
    for (const id of [`${G.id}\u0000`, "\u0000", "x".repeat(5000)]) {
      const r = await gql(q, { id, p: period });
      expect(JSON.stringify(r.errors ?? [])).not.toMatch(/syntax|postgres|relation|invalid input|0x00|invalid byte/i);
    }
    for (const p of ["2026-13", "2026-01\u0000", "9999-12", "0001-01"]) {
      const r = await gql(CLOSE, { p });
      expect([p, JSON.stringify(r.errors ?? [])]).not.toEqual([p, expect.stringMatching(/syntax|postgres|relation|invalid input|INTERNAL/i)]);
    }
  });

  it("30 closes of a month at once store one report, and every caller gets it", async () => {
    const closes = await Promise.all(Array.from({ length: 30 }, () => gql(`mutation($p: String!) { closeSettlementPeriod(period: $p) { period hash moneyIn statements { number partner { id } } } }`, { p: periodOf(NEXT) })));
    const distinct = new Set(closes.map((c) => JSON.stringify(c)));
    expect(distinct.size).toBe(1);
    // NEXT: the late purchase's 100 + 10 at 1,000 (G) and CX's 200 at 2,000 (A): 510 c in.
    expect(closes[0].data?.closeSettlementPeriod).toMatchObject({ period: periodOf(NEXT), moneyIn: 510 });
    await expectClearingConsistent();
  });

  it("huge figures: prices and top-ups past their limits are refused, and past 2^53 never reach the ledger", async () => {
    const terms = (issue: number, share: number) => gql(`mutation($i: SetPartnerTermsInput!) { setPartnerTerms(input: $i) { version } }`,
      { i: { partnerId: H.id, issuePricePer1000: issue, redemptionPricePer1000: 0, breakageSharePercent: share, billing: "POSTPAID" } });
    expect((await terms(100_000_001, 40)).errors?.[0].extensions?.code).toBe("BAD_USER_INPUT"); // MAX_PRICE_PER_1000 is 100,000,000
    expect((await terms(1_000, 101)).errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    const huge = await terms(Number.MAX_SAFE_INTEGER + 1, 40);
    expect(huge.errors?.length).toBeGreaterThan(0);
    expect(JSON.stringify(huge.errors)).not.toMatch(/postgres|syntax|out of range for type/i);
    expect((await ok(`query($id: ID!) { partner(id: $id) { terms { issuePricePer1000 } } }`, { id: H.id })).partner.terms.issuePricePer1000).toBe(1_500);
  });
});
