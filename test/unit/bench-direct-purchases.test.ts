import "reflect-metadata";
import { type PurchaseCapacity, pooledCapacity, purchaseGroup } from "../../bench/purchase-capacity";
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

describe("bench: the direct windows pooled (bench/measure.ts alternates them with windows end to end)", () => {
  const window = (purchases: number, seconds: number, groups: number, meanGroupSize: number, failures = 0): PurchaseCapacity =>
    ({ purchasesPerSecond: purchases / seconds, purchases, seconds, failures, concurrency: 1, groups, meanGroupSize });

  it("adds purchases and time, so a window's weight is its length, and weighs each mean group size by its groups", () => {
    // 600 purchases in 5 s (120/s) and 300 in 6 s (50/s): 900 in 11 s, 81.8/s, not the mean of the rates (85/s).
    // Groups: 100 of mean 6 (600 purchases) and 60 of mean 5 (300): 900 / 160 = 5.625.
    const pooled = pooledCapacity([window(600, 5, 100, 6), window(300, 6, 60, 5, 2)]);
    expect(pooled.purchasesPerSecond).toBeCloseTo(900 / 11, 10);
    expect(pooled).toMatchObject({ purchases: 900, seconds: 11, failures: 2, groups: 160, meanGroupSize: 5.625, windows: [120, 50] });
  });
});
