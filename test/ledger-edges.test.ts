import { Client } from "pg";
import { withDatabase } from "../shared/src/config";
import { addMonths } from "../subgraphs/ledger/src/rules";
import { createReward, enrollMember, recordPurchase, redeem, registerPartner } from "./support/fixtures";
import { ok } from "./support/gateway";
import { expectLedgerConsistent, ledgerTool, travel } from "./support/ledger";

/**
 * The documented rules at their edges, through the gateway, with the ledger's test clock
 * (LEDGER_TEST_CLOCK) moved instead of sleeping. Expected numbers are written out by hand.
 */
const HOUR = 3_600_000;
const DAY = 86_400_000;
const STANDING = `query($id: ID!) { member(id: $id) { tier balance { available pending } tierProgress { qualifyingPoints } } }`;
const standing = async (id: string) => (await ok(STANDING, { id })).member;
const REVERSE = `mutation($input: ReversePurchaseInput!) { reversePurchase(input: $input) { points } }`;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();

/** Moves the ledger's clock to `at` (to the millisecond, give or take the request's time). */
async function travelTo(at: Date): Promise<void> {
  const url = new URL(process.env.TEST_LEDGER_URL!);
  url.pathname = "/test/clock";
  await fetch(url, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ offsetMs: at.getTime() - Date.now() }) });
}

afterEach(async () => {
  await travel(0);
  await expectLedgerConsistent();
});

describe("the qualifying window is the trailing 12 months, to the second", () => {
  it("counts a purchase made one hour less than 12 months ago, and not one made 12 months and one hour ago", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const member = await enrollMember();
    const occurredAt = new Date(Date.now() - 300 * DAY);
    await recordPurchase(partner, member.id, 500_000, { occurredAt: occurredAt.toISOString() }); // 5,000 base points: SILVER
    const twelveMonthsLater = addMonths(occurredAt, 12);

    await travelTo(new Date(twelveMonthsLater.getTime() - HOUR));
    expect(await standing(member.id)).toMatchObject({ tier: "SILVER", tierProgress: { qualifyingPoints: 5_000 } });
    await travelTo(new Date(twelveMonthsLater.getTime() - 5_000)); // five seconds before: still in
    expect(await standing(member.id)).toMatchObject({ tier: "SILVER", tierProgress: { qualifyingPoints: 5_000 } });
    await travelTo(new Date(twelveMonthsLater.getTime() + 5_000));
    expect(await standing(member.id)).toMatchObject({ tier: "BASE", tierProgress: { qualifyingPoints: 0 } });
    await travelTo(new Date(twelveMonthsLater.getTime() + HOUR));
    expect(await standing(member.id)).toMatchObject({ tier: "BASE", tierProgress: { qualifyingPoints: 0 }, balance: { available: 5_000 } });
  });

  it("prices a purchase with the tier of a window whose first day is partly in", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const member = await enrollMember();
    const occurredAt = new Date(Date.now() - 300 * DAY);
    await recordPurchase(partner, member.id, 500_000, { occurredAt: occurredAt.toISOString() }); // SILVER
    await travelTo(new Date(addMonths(occurredAt, 12).getTime() - HOUR));
    expect((await recordPurchase(partner, member.id, 100_000)).points).toBe(1_250); // 1,000 base at SILVER
  });
});

describe("a late purchase earns at the tier the member had when it was made", () => {
  it("uses the tier at occurredAt, before and after the member's promotion", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const member = await enrollMember();
    await recordPurchase(partner, member.id, 500_000, { occurredAt: daysAgo(100) }); // 5,000: SILVER from 100 days ago
    expect((await standing(member.id)).tier).toBe("SILVER");
    expect((await recordPurchase(partner, member.id, 100_000, { occurredAt: daysAgo(150) })).points).toBe(1_000); // BASE then
    expect((await recordPurchase(partner, member.id, 100_000, { occurredAt: daysAgo(50) })).points).toBe(1_250); // SILVER then
    expect((await recordPurchase(partner, member.id, 100_000)).points).toBe(1_250); // SILVER now
  });

  it("does not count points that were still pending at occurredAt", async () => {
    const windowed = await registerPartner({ pointsPerUnit: 1, returnWindowDays: 30 });
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const member = await enrollMember();
    await recordPurchase(windowed, member.id, 600_000, { occurredAt: daysAgo(40) }); // 6,000, spendable 10 days ago
    expect((await recordPurchase(partner, member.id, 100_000, { occurredAt: daysAgo(20) })).points).toBe(1_000); // still pending then: BASE
    expect((await recordPurchase(partner, member.id, 100_000, { occurredAt: daysAgo(5) })).points).toBe(1_250); // SILVER
  });

  it("rounds the bonus down", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const member = await enrollMember();
    await recordPurchase(partner, member.id, 500_000); // SILVER
    expect((await recordPurchase(partner, member.id, 300)).points).toBe(3); // 3 base × 1.25 = 3.75
    expect((await recordPurchase(partner, member.id, 400)).points).toBe(5); // 4 × 1.25 = 5
  });
});

describe("refunds: own points first, then spendable points, then debt; pending points are not touched", () => {
  it("takes the purchase's own pending points first, leaving the spendable ones", async () => {
    const windowed = await registerPartner({ pointsPerUnit: 1, returnWindowDays: 30 });
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const member = await enrollMember();
    await recordPurchase(partner, member.id, 100_000); // 1,000 spendable
    const pending = await recordPurchase(windowed, member.id, 50_000); // 500 pending
    await ok(REVERSE, { input: { partnerId: windowed.id, reference: pending.reference, amountMinor: 50_000 } });
    expect((await standing(member.id)).balance).toEqual({ available: 1_000, pending: 0 });
  });

  it("leaves other partners' pending points alone and owes the rest; they repay the debt only once spendable", async () => {
    const windowed = await registerPartner({ pointsPerUnit: 1, returnWindowDays: 30 });
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const member = await enrollMember();
    const purchase = await recordPurchase(partner, member.id, 100_000); // 1,000 spendable
    await recordPurchase(windowed, member.id, 50_000); // 500 pending
    await redeem(member.id, (await createReward(partner.id, { costPoints: 800 })).id); // 200 of the 1,000 left
    await ok(REVERSE, { input: { partnerId: partner.id, reference: purchase.reference, amountMinor: 100_000 } });
    // 200 from the purchase's own lot, the other 800 owed; the 500 pending are untouched.
    expect((await standing(member.id)).balance).toEqual({ available: -800, pending: 500 });

    // More pending points arrive: they repay nothing while pending.
    await recordPurchase(windowed, member.id, 100_000); // 1,000 pending
    expect((await standing(member.id)).balance).toEqual({ available: -800, pending: 1_500 });
    await expectLedgerConsistent();

    // Past the return window: 1,500 spendable, 800 of them repay the debt.
    await travel(31);
    expect((await standing(member.id)).balance).toEqual({ available: 700, pending: 0 });
    await redeem(member.id, (await createReward(partner.id, { costPoints: 700 })).id); // repays under the lock, then spends the rest
    expect((await standing(member.id)).balance).toEqual({ available: 0, pending: 0 });
  });

  it("repays a debt from points that became spendable before they expire, even with no write in between", async () => {
    const windowed = await registerPartner({ pointsPerUnit: 1, returnWindowDays: 30 });
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const member = await enrollMember();
    const purchase = await recordPurchase(partner, member.id, 100_000);
    await redeem(member.id, (await createReward(partner.id, { costPoints: 800 })).id);
    await ok(REVERSE, { input: { partnerId: partner.id, reference: purchase.reference, amountMinor: 100_000 } }); // owes 800
    await recordPurchase(windowed, member.id, 100_000); // 1,000 pending, then spendable, then expiring 24 months on
    const afterExpiry = await travel(800);
    expect((await ledgerTool("expire", ["--now", afterExpiry.toISOString()])).code).toBe(0);
    // 800 repaid the debt when the points became spendable; only the other 200 expired.
    expect((await standing(member.id)).balance).toEqual({ available: 0, pending: 0 });
    const { member: history } = await ok(`query($id: ID!) { member(id: $id) { activity(first: 10) { edges { node { kind points } } } } }`, { id: member.id });
    expect(history.activity.edges.filter((e: { node: { kind: string } }) => e.node.kind === "EXPIRY").map((e: { node: { points: number } }) => e.node.points)).toEqual([-200]);
  });

  it("repays a debt at once from points that arrive spendable", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const member = await enrollMember();
    const purchase = await recordPurchase(partner, member.id, 100_000);
    await redeem(member.id, (await createReward(partner.id, { costPoints: 800 })).id);
    await ok(REVERSE, { input: { partnerId: partner.id, reference: purchase.reference, amountMinor: 100_000 } });
    await recordPurchase(partner, member.id, 100_000); // 1,000 spendable: 800 repay the debt
    expect((await standing(member.id)).balance).toEqual({ available: 200, pending: 0 });
  });
});

describe("reversals say what they reverse and why", () => {
  it("records the reason and the reversed transaction on refunds and cancellations", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const member = await enrollMember();
    const purchase = await recordPurchase(partner, member.id, 100_000);
    await ok(REVERSE, { input: { partnerId: partner.id, reference: purchase.reference, amountMinor: 10_000 } });
    const { redeemReward } = await redeem(member.id, (await createReward(partner.id, { costPoints: 100 })).id);
    await ok(`mutation($id: ID!) { cancelRedemption(id: $id) { status } }`, { id: redeemReward.id });
    const client = new Client({ connectionString: withDatabase(process.env.TEST_DATABASE_URL!, `coalition_ledger${process.env.TEST_DATABASE_NAME_SUFFIX}`) });
    await client.connect();
    try {
      const { rows } = await client.query(
        `SELECT r.reversal_reason, o.kind AS reversed_kind, o.reference = r.reference AS same_reference
         FROM transactions r JOIN transactions o ON o.id = r.reverses_transaction_id
         WHERE r.kind = 'REVERSAL' AND r.reference = ANY($1::text[]) ORDER BY 1`,
        [[purchase.reference, redeemReward.id]],
      );
      expect(rows).toEqual([
        { reversal_reason: "PURCHASE_REFUND", reversed_kind: "EARN", same_reference: true },
        { reversal_reason: "REDEMPTION_CANCELLED", reversed_kind: "REDEEM", same_reference: true },
      ]);
    } finally {
      await client.end();
    }
  });
});

describe("ledger:verify recomputes the rules from the rules module", () => {
  it("reports a purchase priced at another multiplier than its tier's and a clawback off its share, then nothing once repaired", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const member = await enrollMember();
    const purchase = await recordPurchase(partner, member.id, 100_000); // 1,000 base at BASE
    await ok(REVERSE, { input: { partnerId: partner.id, reference: purchase.reference, amountMinor: 50_000 } }); // 500 back
    const client = new Client({ connectionString: withDatabase(process.env.TEST_DATABASE_URL!, `coalition_ledger${process.env.TEST_DATABASE_NAME_SUFFIX}`) });
    await client.connect();
    const tamper = (points: number, reversed: number) =>
      client.query(`UPDATE purchases SET points = $2, reversed_points = $3 WHERE member_id = $1`, [member.id, points, reversed]);
    try {
      await tamper(1_240, 620); // as if SILVER were ×1.24: no tier gives 1,240 for 1,000 base points; 620 is its half
      const { code, output } = await ledgerTool("verify");
      expect(code).toBe(1);
      // Recorded at BASE (a new member: 0 qualifying points then, ×1.00): 1,000 for 1,000 base points.
      expect(output).toMatch(/FAIL purchases whose points are not their base points at the member's tier when they were made \(rules\/tiers.ts\): 1\n\s+\S+: recorded 1240, recomputed 1000 \(BASE, 0 qualifying points then\)/);
      await tamper(1_000, 499);
      expect((await ledgerTool("verify")).output).toMatch(/recorded 499\/500, recomputed 500\/500/);
    } finally {
      await tamper(1_000, 500);
      await client.end();
    }
  });
});
