import type { EntityManager } from "typeorm";
import { type EntryRow, toLedgerEntry } from "../entry/ledger-entry.loader";
import type { LedgerEntry } from "../entry/ledger-entry.type";
import { TIER_MULTIPLIER_PERCENT, TIER_THRESHOLDS } from "../balance/tiers";

/** A purchase ready for the ledger: everything decided that does not need the member's lock. */
export interface PurchaseToWrite {
  idempotencyKey: string;
  fingerprint: string;
  memberId: string;
  partnerId: string;
  reference: string;
  amountMinor: number;
  basePoints: number;
  earnedAt: Date;
  availableAt: Date;
  expiresAt: Date;
  /** The members service confirmed the member exists: the ledger may open an account for them. */
  memberVouched: boolean;
}

export type PurchaseOutcome =
  | { outcome: "CREATED" | "REPLAYED"; entry: LedgerEntry }
  | { outcome: "CONFLICT" }
  | { outcome: "UNKNOWN_MEMBER" };

const tierThresholds = TIER_THRESHOLDS.map((t) => t.threshold);
const tierPercents = TIER_THRESHOLDS.map((t) => TIER_MULTIPLIER_PERCENT[t.tier]);

/**
 * Records purchases in one database call and transaction (`record_purchases`, see the RecordPurchases
 * migration): one outcome per purchase, in the order given.
 */
export async function writePurchases(manager: EntityManager, purchases: PurchaseToWrite[], now: Date): Promise<PurchaseOutcome[]> {
  const rows: (Partial<EntryRow> & { slot: number; outcome: string })[] = await manager.query(
    `SELECT * FROM record_purchases($1::text[], $2::text[], $3::uuid[], $4::uuid[], $5::text[], $6::bigint[], $7::int[],
                                    $8::timestamptz[], $9::timestamptz[], $10::timestamptz[], $11::uuid[], $12::bigint[], $13::int[], $14)`,
    [
      purchases.map((p) => p.idempotencyKey),
      purchases.map((p) => p.fingerprint),
      purchases.map((p) => p.memberId),
      purchases.map((p) => p.partnerId),
      purchases.map((p) => p.reference),
      purchases.map((p) => p.amountMinor),
      purchases.map((p) => p.basePoints),
      purchases.map((p) => p.earnedAt),
      purchases.map((p) => p.availableAt),
      purchases.map((p) => p.expiresAt),
      purchases.filter((p) => p.memberVouched).map((p) => p.memberId),
      tierThresholds,
      tierPercents,
      now,
    ],
  );
  const outcomes: PurchaseOutcome[] = new Array(purchases.length);
  for (const row of rows) {
    outcomes[row.slot - 1] =
      row.outcome === "CREATED" || row.outcome === "REPLAYED"
        ? { outcome: row.outcome, entry: toLedgerEntry(row as EntryRow) }
        : { outcome: row.outcome as "CONFLICT" | "UNKNOWN_MEMBER" };
  }
  return outcomes;
}
