import { type AuditCaller, actorOf, isAuditedCaller } from "../../../../shared/src/audit/record-audit";
import type { DataSource } from "typeorm";
import { refusingPastPrepaidAllowance } from "../clearing/prepaid-limit";
import { badInput, notFound } from "../../../../shared/src/errors";
import { quoted } from "../../../../shared/src/quoted";
import { requireId, requireInt, requireText } from "../../../../shared/src/validation";
import type { Clock } from "../clock";
import { findMemberEntryOf } from "../entry/ledger-entry.loader";
import type { LedgerEntry } from "../entry/ledger-entry.type";
import { fingerprint, findIdempotent, idempotencyConflict } from "../journal/journal";
import { memberPointsLimitExceeded, memberPointsLimitExceededUndisclosed, withinCap } from "../limits";
import { MAX_AMOUNT_MINOR, MAX_BACKDATE_DAYS, availableAt, basePointsForPurchase, expiresAt, occurredAtProblem } from "../rules";
import { pointsExpiryMonths } from "../settings";
import { rememberPartnerCategories } from "../campaign/partner-categories";
import type { EarnRule } from "./earn-rule";
import { PurchaseReferences } from "./purchase-references";
import { type PurchaseToWrite, purchaseWriterFor } from "./purchase-writer";
import type { RecordPurchaseInput } from "./record-purchase.input";

/** One per process: the partners' rules it learnt serve every later purchase. */
const purchaseReferences = new PurchaseReferences();

export class PurchaseService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    /** The request this service works for: calls to other services carry its id. */
    private readonly requestId?: string,
    private readonly references = purchaseReferences,
    private readonly expiryMonths = pointsExpiryMonths(), // read once, checked when the ledger starts (settings.ts)
    private readonly writer = purchaseWriterFor(dataSource),
  ) {}

  /** Earns points for a purchase, once per (partner, reference). */
  async record(input: RecordPurchaseInput, caller?: AuditCaller): Promise<LedgerEntry> {
    const now = this.clock.now();
    const partnerId = requireId(input.partnerId, "partnerId");
    const memberId = requireId(input.memberId, "memberId");
    const amountMinor = requireInt(input.amountMinor, "amountMinor", { min: 1, max: MAX_AMOUNT_MINOR });
    const currency = input.currency.trim().toUpperCase();
    const reference = requireText(input.reference, "reference", { max: 100 });
    const occurredAt = input.occurredAt ?? null;
    if (occurredAt && Number.isNaN(occurredAt.getTime())) throw badInput("occurredAt must not be in the future", "occurredAt");
    const idempotencyKey = `purchase:${partnerId}:${reference}`;
    const request = { memberId, amountMinor, currency, occurredAt: occurredAt?.toISOString() ?? null };
    // Checked against the ledger's clock now, which moves: a retry of a purchase recorded in range returns its entry (README, Error codes).
    const late = occurredAt ? occurredAtProblem(occurredAt, now) : null;
    if (late === "future") return this.replayed(idempotencyKey, request, memberId, badInput("occurredAt must not be in the future", "occurredAt"));
    if (late === "tooOld") return this.replayed(idempotencyKey, request, memberId, badInput(`occurredAt must be within the last ${MAX_BACKDATE_DAYS} days`, "occurredAt"));

    let rule: EarnRule | null;
    try {
      rule = await this.references.earnRule(partnerId, this.requestId);
    } catch (error) {
      // A replay is answered from the ledger alone, even while the partners service is unreachable.
      return this.replayed(idempotencyKey, request, memberId, error);
    }
    if (!rule) return this.replayed(idempotencyKey, request, memberId, notFound(`No partner with id ${partnerId}`));
    if (currency !== rule.currency) {
      return this.replayed(idempotencyKey, request, memberId, badInput(`This partner records purchases in ${rule.currency}, not ${quoted(currency, 10)}`, "currency"));
    }
    await rememberPartnerCategories(this.dataSource.manager, [{ id: partnerId, category: rule.category }]);
    const earnedAt = occurredAt ?? now;
    const purchase: PurchaseToWrite = {
      idempotencyKey,
      fingerprint: fingerprint(request),
      memberId,
      partnerId,
      reference,
      amountMinor,
      basePoints: withinCap(() => basePointsForPurchase(amountMinor, rule.pointsPerUnit)),
      earnedAt,
      availableAt: availableAt(earnedAt, rule.returnWindowDays),
      expiresAt: expiresAt(earnedAt, this.expiryMonths),
      memberVouched: false,
      receivedAt: now,
      // The tier bonus of a purchase recorded late is the member's tier when it was made (README, Tiers).
      tierAt: occurredAt,
      audit: caller && isAuditedCaller(caller.identity) ? { actor: actorOf(caller.identity), action: "RECORD_PURCHASE", memberId, partnerId, requestId: caller.requestId } : null,
    };
    // A PREPAID partner past its allowance: the database refuses the purchase (sql/clearing.ts), nothing is written.
    let written = await refusingPastPrepaidAllowance(this.writer.write(purchase));
    if (written.outcome === "UNKNOWN_MEMBER") {
      // The ledger has never seen this member: the members service says whether they exist.
      if (!(await this.references.memberExists(memberId, this.requestId))) throw notFound(`No member with id ${memberId}`);
      written = await refusingPastPrepaidAllowance(this.writer.write({ ...purchase, memberVouched: true }));
    }
    if (written.outcome === "CONFLICT") throw idempotencyConflict(idempotencyKey);
    if (written.outcome === "LIMIT_EXCEEDED") {
      // `wouldBe` is the member's lifetime earned points (or holdings) plus this purchase: a partner app may not read
      // them (not even of a linked member), and it may record a purchase for any member id.
      throw caller?.identity.kind === "partner" ? memberPointsLimitExceededUndisclosed(written.figure) : memberPointsLimitExceeded(written.figure, written.wouldBe);
    }
    if (written.outcome === "UNKNOWN_MEMBER") throw new Error(`The ledger opened no account for vouched member ${memberId}`);
    return written.entry;
  }

  /** The entry first recorded under this key with this input, else the reason this purchase cannot be recorded now. */
  private async replayed(key: string, request: unknown, memberId: string, otherwise: unknown): Promise<LedgerEntry> {
    const transactionId = await findIdempotent(this.dataSource.manager, key, request);
    if (!transactionId) throw otherwise;
    return findMemberEntryOf(this.dataSource.manager, transactionId, memberId);
  }
}
