import { Client } from "pg";
import { withDatabase } from "../shared/src/config";
import { requestGraphQL } from "../tools/stack/graphql-client";
import { useDedicatedStack } from "./support/dedicated-stack";
import { ledgerTool } from "./support/ledger";

/**
 * Databases upgraded from before ReversalsAsCharged1734330000000 hold the bonus reversals refunds wrote
 * then: a BONUS transaction with no reversal reason and no reversed transaction, known only by its key
 * (`<refund key>:bonus:<bonus transaction>`, campaign/bonus-reversal.ts); that migration left them as they
 * were (their valuation is history). ledger:verify must count them toward their bonus's reversed points.
 * A stack of its own: the test rewrites a reversal into that shape, which the shared stack's
 * clearing:verify would rightly no longer match to its statement line.
 */
const dedicated = useDedicatedStack("legacy_bonus_reversals");

it("ledger:verify counts a refund's bonus reversal written before ReversalsAsCharged (a BONUS naming no bonus)", async () => {
  const gateway = dedicated.stack.gatewayUrl;
  const call = (query: string, variables: Record<string, unknown>) => requestGraphQL(gateway, query, variables, dedicated.admin());
  const { registerPartner: partner } = await call(`mutation($i: RegisterPartnerInput!) { registerPartner(input: $i) { id } }`, {
    i: { slug: "legacy-grocer", name: "Legacy Grocer", category: "GROCERY", pointsPerUnit: 1, currency: "EUR", returnWindowDays: 0 },
  });
  const { enrollMember: member } = await call(`mutation($i: EnrollMemberInput!) { enrollMember(input: $i) { id } }`, { i: { email: "legacy-bonus@example.com", displayName: "Legacy Bonus" } });
  const now = Date.now();
  await call(`mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { id } }`, {
    i: { name: "Legacy bonus", partnerIds: [partner.id], bonusPoints: 100, startsAt: new Date(now - 3_600_000).toISOString(), endsAt: new Date(now + 86_400_000).toISOString() },
  });
  const { recordPurchase } = await call(`mutation($i: RecordPurchaseInput!) { recordPurchase(input: $i) { points bonuses { points } } }`, {
    i: { partnerId: partner.id, memberId: member.id, amountMinor: 20_000, currency: "EUR", reference: "legacy-1" },
  });
  expect(recordPurchase).toEqual({ points: 200, bonuses: [{ points: 100 }] });
  await call(`mutation($i: ReversePurchaseInput!) { reversePurchase(input: $i) { points } }`, { i: { partnerId: partner.id, reference: "legacy-1", amountMinor: 5_000, refundReference: "r1" } });
  expect((await ledgerTool("verify", [], dedicated.suffix)).code).toBe(0);

  // The reversal of the bonus as refunds wrote it before ReversalsAsCharged1734330000000.
  const db = new Client({ connectionString: withDatabase(process.env.TEST_DATABASE_URL!, `coalition_ledger${dedicated.suffix}`) });
  await db.connect();
  try {
    await db.query(`ALTER TABLE transactions DISABLE TRIGGER transactions_append_only`);
    const { rowCount } = await db.query(
      `UPDATE transactions SET reversal_reason = NULL, reverses_transaction_id = NULL WHERE kind = 'BONUS' AND reversal_reason = 'PURCHASE_REFUND' AND idempotency_key LIKE '%:bonus:%'`,
    );
    expect(rowCount).toBe(1);
    await db.query(`ALTER TABLE transactions ENABLE TRIGGER transactions_append_only`);
  } finally {
    await db.end();
  }

  const { code, output } = await ledgerTool("verify", [], dedicated.suffix);
  expect(output).toContain("Every balance matches its history.");
  expect(code).toBe(0);
  // A later refund of the same purchase still takes back only the rest of its share.
  const { reversePurchase } = await call(`mutation($i: ReversePurchaseInput!) { reversePurchase(input: $i) { points bonuses { points } } }`, {
    i: { partnerId: partner.id, reference: "legacy-1", amountMinor: 15_000, refundReference: "r2" },
  }).catch((error) => ({ reversePurchase: String(error) }));
  expect(reversePurchase).toMatchObject({ points: -150 });
  expect((await ledgerTool("verify", [], dedicated.suffix)).code).toBe(0);
}, 60_000);
