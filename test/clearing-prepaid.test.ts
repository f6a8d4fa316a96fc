import { randomUUID } from "node:crypto";
import { createDataSource } from "../shared/src/database";
import { createLogger } from "../shared/src/logger";
import { COALITION_OWNER_ID, postTransaction } from "../subgraphs/ledger/src/journal/journal";
import { type NewLot, insertLots } from "../subgraphs/ledger/src/journal/lots";
import { expectClearingConsistent, ledgerClient, ledgerDatabaseUrl, periodOf, setTerms, statementOf } from "./support/clearing";
import { enrollMember, registerPartner } from "./support/fixtures";
import { type Caller, anonymous, asMember, asPartnerApp, fails, gql, ok, unique } from "./support/gateway";
import { expectLedgerConsistent, travel } from "./support/ledger";

/** Prepaid allowances under concurrency, who may read and do what, and bad input (README, "The clearing house"). */

const PURCHASE = `mutation($i: RecordPurchaseInput!) { recordPurchase(input: $i) { id points } }`;
const TOP_UP = `mutation($i: AddPrepaidPointsInput!) { addPrepaidPoints(input: $i) { id prepaidPointsRemaining } }`;
const SET_TERMS = `mutation($i: SetPartnerTermsInput!) { setPartnerTerms(input: $i) { version } }`;
const HISTORY = `query($id: ID!) { partner(id: $id) { termsHistory { version } } }`;

beforeAll(() => travel(0));

describe("a prepaid partner's allowance", () => {
  it("100 concurrent purchases against an allowance for 10 give exactly 10; the 90 others are LIMIT_EXCEEDED and write nothing", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1, returnWindowDays: 0 });
    await setTerms(partner.id, { issue: 1000, redemption: 0, share: 0, billing: "PREPAID" });
    // Idempotent by reference: the same top-up twice adds once; the same reference with other points is a conflict.
    const topUp = { partnerId: partner.id, points: 1000, reference: "block-1" };
    expect((await ok(TOP_UP, { i: topUp })).addPrepaidPoints.prepaidPointsRemaining).toBe(1000);
    expect((await ok(TOP_UP, { i: topUp })).addPrepaidPoints.prepaidPointsRemaining).toBe(1000);
    expect((await fails(TOP_UP, { i: { ...topUp, points: 5 } }, "IDEMPOTENCY_CONFLICT")).extensions?.field).toBe("reference");

    const members = await Promise.all(Array.from({ length: 25 }, () => enrollMember()));
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        gql(PURCHASE, { i: { partnerId: partner.id, memberId: members[i % 25].id, amountMinor: 10_000, currency: "EUR", reference: unique("r") } }),
      ),
    );
    const codes = results.map((r) => (r.errors ? r.errors[0].extensions?.code : "OK"));
    expect(codes.filter((c) => c === "OK")).toHaveLength(10); // 10 × 100 points = the 1,000 bought
    expect(codes.filter((c) => c === "LIMIT_EXCEEDED")).toHaveLength(90);
    const db = await ledgerClient();
    try {
      const { rows } = await db.query(`SELECT count(*)::int AS n FROM transactions WHERE partner_id = $1`, [partner.id]);
      expect(rows[0].n).toBe(10);
    } finally {
      await db.end();
    }
    const now = await travel(0);
    expect(await statementOf(partner.id, periodOf(now))).toMatchObject({ pointsIssued: 1000, issuedAmount: 1000, netAmount: 1000 }); // 1,000 at 1,000 per 1,000
    expect((await ok(`query { partner(id: "${partner.id}") { prepaidPointsRemaining } }`)).partner.prepaidPointsRemaining).toBe(0);
    await expectLedgerConsistent();
    await expectClearingConsistent();
  });
});

describe("a top-up replayed once its partner is no longer PREPAID", () => {
  it("answers as the first time (idempotent by reference): only a new top-up needs PREPAID terms in force", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1, returnWindowDays: 0 });
    await setTerms(partner.id, { issue: 1000, redemption: 0, share: 0, billing: "PREPAID" });
    const topUp = { partnerId: partner.id, points: 700, reference: "invoice-7" };
    expect((await ok(TOP_UP, { i: topUp })).addPrepaidPoints.prepaidPointsRemaining).toBe(700);
    await setTerms(partner.id, { issue: 1000, redemption: 0, share: 0, billing: "POSTPAID" });
    // The admin's retry of a top-up whose answer was lost: recorded already, so the same answer, nothing added.
    expect((await ok(TOP_UP, { i: topUp })).addPrepaidPoints.prepaidPointsRemaining).toBe(700);
    expect((await fails(TOP_UP, { i: { ...topUp, points: 5 } }, "IDEMPOTENCY_CONFLICT")).extensions?.field).toBe("reference");
    expect((await fails(TOP_UP, { i: { ...topUp, reference: "invoice-8" } }, "BAD_USER_INPUT")).extensions?.field).toBe("partnerId");
    expect((await ok(`query { partner(id: "${partner.id}") { prepaidPointsRemaining } }`)).partner.prepaidPointsRemaining).toBe(700);
  });
});

describe("movements other writers post (campaign bonuses, adjustments)", () => {
  /** A funded bonus as a campaign writer would post it: postTransaction and a BONUS lot without a price, nothing else. */
  async function bonus(funder: { kind: "PARTNER_ISSUANCE" | "COALITION_ISSUANCE"; id: string }, memberId: string, points: number, kind: "BONUS" | "ADJUSTMENT" = "BONUS") {
    const ds = createDataSource({ url: ledgerDatabaseUrl(), entities: [], migrations: [], log: createLogger("test"), poolSize: 1 });
    await ds.initialize();
    try {
      const now = await travel(0);
      await ds.transaction(async (tx) => {
        const posted = await postTransaction(tx, {
          kind, idempotencyKey: unique("bonus"), request: {}, partnerId: funder.id === COALITION_OWNER_ID ? null : funder.id, reference: null, occurredAt: now,
          postings: [{ account: { kind: "MEMBER", ownerId: memberId }, amount: points, entryKind: kind }, { account: { kind: funder.kind, ownerId: funder.id }, amount: -points }],
        });
        const lot = { transactionId: posted.transactionId, memberId, partnerId: funder.id, source: kind, points, remaining: points, earnedAt: now, availableAt: now, expiresAt: new Date(now.getTime() + 4e10) };
        await insertLots(tx, [lot as unknown as NewLot]);
      });
    } finally {
      await ds.destroy();
    }
  }

  it("values them in the funder's bonus and adjustment lines, prices their lots, holds a prepaid funder to its allowance, and counts the coalition's own", async () => {
    const [funder, prepaid] = await Promise.all([registerPartner(), registerPartner()]);
    const member = (await enrollMember()).id;
    await setTerms(funder.id, { issue: 1200, redemption: 0, share: 0 });
    await setTerms(prepaid.id, { issue: 1000, redemption: 0, share: 0, billing: "PREPAID" });
    const period = periodOf(await travel(0));
    const coalitionBefore = (await ok(`query($p: String!) { clearing(period: $p) { coalitionPointsIssued } }`, { p: period })).clearing.coalitionPointsIssued;

    await bonus({ kind: "PARTNER_ISSUANCE", id: funder.id }, member, 250); // 250 at 1,200: 300 cents
    await bonus({ kind: "PARTNER_ISSUANCE", id: funder.id }, member, 40, "ADJUSTMENT"); // 40 at 1,200: 48 cents
    await bonus({ kind: "COALITION_ISSUANCE", id: COALITION_OWNER_ID }, member, 30); // the coalition's own: no money
    expect(await statementOf(funder.id, period)).toMatchObject({
      pointsIssued: 290, issuedAmount: 348, netAmount: 348,
      lines: [{ kind: "BONUSES_ISSUED", points: 250, amount: 300 }, { kind: "ADJUSTMENTS", points: 40, amount: 48 }],
    });
    expect((await ok(`query($p: String!) { clearing(period: $p) { coalitionPointsIssued } }`, { p: period })).clearing.coalitionPointsIssued).toBe(coalitionBefore + 30);
    const db = await ledgerClient();
    try {
      const { rows } = await db.query(`SELECT source, issue_price_per_1000::int AS price FROM lots WHERE member_id = $1 ORDER BY source, price`, [member]);
      expect(rows).toEqual([{ source: "ADJUSTMENT", price: 1200 }, { source: "BONUS", price: 0 }, { source: "BONUS", price: 1200 }]);
    } finally {
      await db.end();
    }
    // A PREPAID funder without allowance: the bonus fails as a purchase would, and nothing is written.
    await expect(bonus({ kind: "PARTNER_ISSUANCE", id: prepaid.id }, member, 10)).rejects.toMatchObject({ extensions: { code: "LIMIT_EXCEEDED" } });
    expect(await statementOf(prepaid.id, period)).toMatchObject({ pointsIssued: 0, lines: [] });
    await expectLedgerConsistent();
    await expectClearingConsistent();
  });
});

describe("who may read and do what", () => {
  it("a partner app reads only its own terms, statements, allowance and liability; the clearing report and every change are admins'", async () => {
    const [mine, other] = await Promise.all([registerPartner(), registerPartner()]);
    const key = (await ok(`mutation($id: ID!) { issuePartnerApiKey(partnerId: $id) { key } }`, { id: mine.id })).issuePartnerApiKey.key;
    const app = asPartnerApp(key);
    const member = asMember((await enrollMember()).id);
    const period = periodOf(await travel(0));
    const own = `query($id: ID!, $p: String!) { partner(id: $id) { terms { version } termsHistory { version } statement(period: $p) { netAmount } prepaidPointsRemaining liability { pointsOutstanding } } }`;
    expect((await ok(own, { id: mine.id, p: period }, app)).partner).toMatchObject({ terms: null, termsHistory: [], statement: { netAmount: 0 }, prepaidPointsRemaining: 0 });
    for (const field of ["terms { version }", "termsHistory { version }", "statement(period: $p) { netAmount }", "prepaidPointsRemaining", "liability { pointsOutstanding }"]) {
      const query = `query($id: ID!${field.includes("$p") ? ", $p: String!" : ""}) { partner(id: $id) { ${field} } }`;
      const variables = (id: string) => (field.includes("$p") ? { id, p: period } : { id });
      const denied = await gql(query, variables(other.id), app);
      expect(denied.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
      expect((await gql(query, variables(mine.id), member)).errors?.[0].extensions?.code).toBe("FORBIDDEN");
    }
    const adminOnly: [string, Record<string, unknown>][] = [
      [`query($p: String!) { clearing(period: $p) { margin } }`, { p: period }],
      [`query { coalitionLiability { pointsOutstanding } }`, {}],
      [`mutation($p: String!) { closeSettlementPeriod(period: $p) { status } }`, { p: "2020-01" }],
      [SET_TERMS, { i: { partnerId: mine.id, issuePricePer1000: 0, redemptionPricePer1000: 0, breakageSharePercent: 0, billing: "POSTPAID" } }],
      [TOP_UP, { i: { partnerId: mine.id, points: 10, reference: "x" } }],
    ];
    const callers: [Caller, string][] = [[app, "FORBIDDEN"], [member, "FORBIDDEN"], [anonymous, "UNAUTHENTICATED"]];
    for (const [query, variables] of adminOnly) {
      for (const [caller, code] of callers) expect((await gql(query, variables, caller)).errors?.[0].extensions?.code).toBe(code);
    }
    expect((await ok(HISTORY, { id: mine.id })).partner.termsHistory).toEqual([]);
  });
});

describe("bad input", () => {
  it("names the field, and writes nothing", async () => {
    const partner = await registerPartner();
    const terms = { partnerId: partner.id, issuePricePer1000: 1000, redemptionPricePer1000: 800, breakageSharePercent: 50, billing: "POSTPAID" };
    const field = async (input: Record<string, unknown>, expected: string, code = "BAD_USER_INPUT") => {
      const error = await fails(SET_TERMS, { i: { ...terms, ...input } }, code);
      if (code === "BAD_USER_INPUT") expect(error.extensions?.field).toBe(expected);
    };
    await field({ issuePricePer1000: -1 }, "issuePricePer1000");
    await field({ issuePricePer1000: 1e15 }, "issuePricePer1000");
    await field({ redemptionPricePer1000: 100_000_001 }, "redemptionPricePer1000");
    await field({ breakageSharePercent: 101 }, "breakageSharePercent");
    await field({ breakageSharePercent: -1 }, "breakageSharePercent");
    await field({ effectiveFrom: "2020-01-01T00:00:00Z" }, "effectiveFrom");
    await field({ partnerId: "not-an-id" }, "partnerId");
    await field({ partnerId: randomUUID() }, "", "NOT_FOUND");
    expect((await ok(HISTORY, { id: partner.id })).partner.termsHistory).toEqual([]);

    const later = new Date(Date.now() + 7 * 86_400_000).toISOString();
    expect((await ok(SET_TERMS, { i: { ...terms, effectiveFrom: later } })).setPartnerTerms.version).toBe(1);
    await field({ effectiveFrom: later }, "effectiveFrom"); // not after the latest version
    await field({}, "effectiveFrom"); // now is before the latest version's start
    expect((await ok(HISTORY, { id: partner.id })).partner.termsHistory).toEqual([{ version: 1 }]);

    await fails(TOP_UP, { i: { partnerId: partner.id, points: 10, reference: "r" } }, "BAD_USER_INPUT"); // not PREPAID
    await fails(TOP_UP, { i: { partnerId: partner.id, points: 0, reference: "r" } }, "BAD_USER_INPUT");
    for (const period of ["2026-13", "2026-1", "26-11", "2026-11-01", "november", ""]) {
      const error = await fails(`query($id: ID!, $p: String!) { partner(id: $id) { statement(period: $p) { netAmount } } }`, { id: partner.id, p: period }, "BAD_USER_INPUT");
      expect(error.extensions?.field).toBe("period");
      await fails(`query($p: String!) { clearing(period: $p) { margin } }`, { p: period }, "BAD_USER_INPUT");
    }
    const now = await travel(0);
    const error = await fails(`mutation($p: String!) { closeSettlementPeriod(period: $p) { status } }`, { p: periodOf(now) }, "BAD_USER_INPUT");
    expect(error.message).toMatch(/has not ended/);
  });
});
