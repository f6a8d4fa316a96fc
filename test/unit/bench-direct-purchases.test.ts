import "reflect-metadata";
import { purchaseGroup } from "../../bench/purchase-capacity";
import type { BenchData } from "../../bench/scenarios";

/**
 * The direct calls of record_purchases (bench/purchase-capacity.ts) are the database's capacity for
 * the work the ledger gives it per purchase. The bench's purchases come from partner apps (API keys),
 * and for a partner app the ledger's PurchaseService passes each purchase's audit line (actor
 * partner:<id>, RECORD_PURCHASE, the member, the partner, the request id) to writePurchases, which
 * writes it in the same statement (RECORD_PURCHASES_WITH_AUDIT). The direct calls wrote none: a row
 * less per purchase than end to end, so the direct figure was above the database's capacity for the
 * same work, and the ratio below what the services really deliver of it.
 */
describe("bench: the purchases called directly are the ones the ledger writes for a partner app", () => {
  const data = {
    memberIds: ["m1", "m2", "m3", "m4", "m5"],
    partners: [{ id: "p1", currency: "EUR", pointsPerUnit: 1, returnWindowDays: 0, apiKey: "k" }],
  } as unknown as BenchData;

  it("carries the audit line of a partner app's recordPurchase, for its own member and partner, with a request id", () => {
    let n = 0;
    const group = purchaseGroup(data, 3, "bench-x-direct0-", () => ++n, 24);
    expect(group).toHaveLength(3);
    expect(new Set(group.map((p) => p.memberId)).size).toBe(3); // one purchase per member, as the ledger groups them
    for (const purchase of group) {
      expect(purchase.audit).toEqual({ actor: "partner:p1", action: "RECORD_PURCHASE", memberId: purchase.memberId, partnerId: "p1", requestId: expect.any(String) });
      expect(purchase.audit!.requestId!.length).toBeGreaterThanOrEqual(32);
      expect(purchase.idempotencyKey).toBe(`purchase:p1:${purchase.reference}`);
    }
  });
});
