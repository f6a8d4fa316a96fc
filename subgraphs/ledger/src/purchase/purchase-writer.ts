import type { DataSource, EntityManager } from "typeorm";
import { type AuditLine, auditLineArrays, auditLinesFromParametersSql, insertAuditLinesSql } from "../../../../shared/src/audit/record-audit";
import { intFromEnv } from "../../../../shared/src/config";
import { type EntryRow, toLedgerEntry } from "../entry/ledger-entry.loader";
import type { LedgerEntry } from "../entry/ledger-entry.type";
import { TIER_MULTIPLIER_PERCENT, TIER_THRESHOLDS, qualifyingWindowStart } from "../rules";
import { type CappedFigure, MEMBER_POINTS_CAP } from "../limits";

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
  /** The ledger's time when the purchase was received (a live purchase's tier is read as of then, or a little later). */
  receivedAt: Date;
  /** A late purchase (occurredAt sent): its tier is the member's tier at this time; null for a live one. */
  tierAt: Date | null;
  /** The audit line to write, with the entry as its target, if the purchase is recorded now (admins and partner apps; not for seeds). */
  audit?: Omit<AuditLine, "targetId"> | null;
}

export type PurchaseOutcome =
  | { outcome: "CREATED" | "REPLAYED"; entry: LedgerEntry }
  | { outcome: "CONFLICT" }
  /** Refused: it would take the member's `figure` to `wouldBe`, past MEMBER_POINTS_CAP. */
  | { outcome: "LIMIT_EXCEEDED"; figure: CappedFigure; wouldBe: number }
  | { outcome: "UNKNOWN_MEMBER" };

const tierThresholds = TIER_THRESHOLDS.map((t) => t.threshold);
const tierPercents = TIER_THRESHOLDS.map((t) => TIER_MULTIPLIER_PERCENT[t.tier]);

const RECORD_PURCHASES_CALL = `SELECT * FROM record_purchases($1::text[], $2::text[], $3::uuid[], $4::uuid[], $5::text[], $6::bigint[], $7::int[],
                                    $8::timestamptz[], $9::timestamptz[], $10::timestamptz[], $11::timestamptz[], $12::timestamptz[],
                                    $13::uuid[], $14::bigint[], $15::int[], $16, $17)`;

/**
 * The call with the audit lines of the purchases it records now (`CREATED`), the entry as each line's
 * target, in the same statement: the lines commit with the purchases or not at all, and a group is
 * one round trip to the database, not four (BEGIN, the call, the lines, COMMIT): with those, the one
 * connection that writes groups spent a fifth to a quarter of the bench's purchase windows waiting on
 * the ledger between them (README, "Group commit for purchases").
 */
const RECORD_PURCHASES_WITH_AUDIT = `WITH written AS (${RECORD_PURCHASES_CALL}
  ), audited AS (
    ${insertAuditLinesSql(`(SELECT a.actor, a.action, a.member_id, a.partner_id, w.id::text AS target_id, a.request_id, a.error_code
       FROM ${auditLinesFromParametersSql(18, "a")}
       JOIN written w ON w.slot = a.slot AND w.outcome = 'CREATED'
       WHERE a.actor IS NOT NULL) l`)}
  )
  SELECT * FROM written`;

/**
 * Records purchases of distinct members and keys in one database call and transaction
 * (`record_purchases`, defined in src/sql/record-purchases.ts), with the audit lines of those that
 * carry one: one outcome per purchase, in the order given, or none for a key that a concurrent call
 * recorded first (asking again answers it).
 */
export async function writePurchases(manager: EntityManager, purchases: PurchaseToWrite[]): Promise<(PurchaseOutcome | undefined)[]> {
  const now = new Date(Math.max(...purchases.map((p) => p.receivedAt.getTime())));
  const audits = purchases.map((p) => p.audit ?? null);
  const auditArrays = audits.some(Boolean) ? auditLineArrays(audits) : [];
  const rows: (Partial<EntryRow> & { slot: number; outcome: string; over_limit: CappedFigure | null })[] = await manager.query(
    auditArrays.length ? RECORD_PURCHASES_WITH_AUDIT : RECORD_PURCHASES_CALL,
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
      purchases.map((p) => p.tierAt),
      purchases.map((p) => qualifyingWindowStart(p.tierAt ?? now)),
      purchases.filter((p) => p.memberVouched).map((p) => p.memberId),
      tierThresholds,
      tierPercents,
      now,
      MEMBER_POINTS_CAP,
      ...auditArrays,
    ],
  );
  const outcomes: (PurchaseOutcome | undefined)[] = new Array(purchases.length).fill(undefined);
  for (const row of rows) {
    outcomes[row.slot - 1] =
      row.outcome === "CREATED" || row.outcome === "REPLAYED"
        ? { outcome: row.outcome, entry: toLedgerEntry(row as EntryRow) }
        : row.outcome === "LIMIT_EXCEEDED"
          ? { outcome: "LIMIT_EXCEEDED", figure: row.over_limit!, wouldBe: Number(row.amount) }
          : { outcome: row.outcome as "CONFLICT" | "UNKNOWN_MEMBER" };
  }
  return outcomes;
}

interface Waiting {
  purchase: PurchaseToWrite;
  resolve(outcome: PurchaseOutcome): void;
  reject(error: unknown): void;
}

/**
 * Group commit: purchases that arrive while the database is busy with earlier ones are written
 * together, in one call and one transaction, when a slot frees up. A quiet ledger writes each purchase
 * at once; a busy one pays one round trip, one commit and one trigger run per group instead of per
 * purchase. A group holds one purchase per member and per key; the next one waits for the next group.
 * Each purchase still gets its own outcome. If a group fails as a whole (a deadlock, a constraint),
 * each of its purchases is tried again on its own, so one bad purchase fails alone.
 */
export class PurchaseWriter {
  private readonly waiting: Waiting[] = [];
  private writing = 0;

  constructor(
    private readonly manager: EntityManager,
    /**
     * Groups being written at once. Purchases gather while one is written; a second group at once was
     * no faster (alternating on one stack, four rounds each: 964 against 1,047 purchases/s for one),
     * nor when concurrent groups were kept to disjoint partners (so never waiting on each other's rows).
     */
    private readonly concurrentGroups = intFromEnv("PURCHASE_WRITE_GROUPS", 1),
    private readonly maxGroupSize = intFromEnv("PURCHASE_GROUP_MAX", 64),
  ) {}

  write(purchase: PurchaseToWrite): Promise<PurchaseOutcome> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ purchase, resolve, reject });
      this.startGroups();
    });
  }

  private startGroups(): void {
    while (this.writing < this.concurrentGroups && this.waiting.length) {
      const group = this.takeGroup();
      this.writing++;
      void this.writeGroup(group).finally(() => {
        this.writing--;
        this.startGroups();
      });
    }
  }

  /** The oldest waiting purchases, at most one per member and per key. */
  private takeGroup(): Waiting[] {
    const group: Waiting[] = [];
    const members = new Set<string>();
    const keys = new Set<string>();
    for (let i = 0; i < this.waiting.length && group.length < this.maxGroupSize; ) {
      const { memberId, idempotencyKey } = this.waiting[i].purchase;
      if (members.has(memberId) || keys.has(idempotencyKey)) {
        i++;
        continue;
      }
      members.add(memberId);
      keys.add(idempotencyKey);
      group.push(...this.waiting.splice(i, 1));
    }
    return group;
  }

  private async writeGroup(group: Waiting[], attempt = 1): Promise<void> {
    let outcomes: (PurchaseOutcome | undefined)[];
    try {
      outcomes = await writePurchases(this.manager, group.map((w) => w.purchase));
    } catch (error) {
      if (group.length === 1) return group[0].reject(error);
      await Promise.all(group.map((w) => this.writeGroup([w])));
      return;
    }
    const unanswered: Waiting[] = [];
    group.forEach((w, i) => {
      const outcome = outcomes[i];
      if (outcome) w.resolve(outcome);
      else unanswered.push(w);
    });
    // Keys that a concurrent call recorded first: asked again, each is now a replay or a conflict.
    if (unanswered.length && attempt > 2) unanswered.forEach((w) => w.reject(new Error(`No outcome for purchase ${w.purchase.idempotencyKey}`)));
    else await Promise.all(unanswered.map((w) => this.writeGroup([w], attempt + 1)));
  }
}

const writers = new WeakMap<DataSource, PurchaseWriter>();

/** One writer per database per process: grouping works across requests. */
export function purchaseWriterFor(dataSource: DataSource): PurchaseWriter {
  let writer = writers.get(dataSource);
  if (!writer) writers.set(dataSource, (writer = new PurchaseWriter(dataSource.manager)));
  return writer;
}
