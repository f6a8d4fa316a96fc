import type { DataSource } from "typeorm";
import { pointsExpiryMonths } from "../../../../shared/src/config";
import { badInput } from "../../../../shared/src/errors";
import { requireId, requireInt, requireText } from "../../../../shared/src/validation";
import { type Clock, DAY_MS, addMonths } from "../clock";
import { findMemberEntryOf } from "../entry/ledger-entry.loader";
import type { LedgerEntry } from "../entry/ledger-entry.type";
import { addPartnerPoints, addQualifying, qualifyingPoints } from "../balance/qualifying";
import { TIER_MULTIPLIER_PERCENT, tierStanding } from "../balance/tiers";
import { addDebt, findIdempotent, lockMember, postTransaction } from "../journal/journal";
import { insertLots } from "../journal/lots";
import { pointsForPurchase } from "./earn-rule";
import { PurchaseReferences } from "./purchase-references";
import type { RecordPurchaseInput } from "./record-purchase.input";

/** One per process: what it learnt of partners and members serves every later purchase. */
const purchaseReferences = new PurchaseReferences();

export const MAX_AMOUNT_MINOR = 100_000_000;
const MAX_BACKDATE_DAYS = 365;
const CLOCK_SKEW_MS = 5 * 60_000;
/** Read once, when the ledger starts: a bad setting stops it there. */
const EXPIRY_MONTHS = pointsExpiryMonths();

export class PurchaseService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly references = purchaseReferences,
    private readonly expiryMonths = EXPIRY_MONTHS,
  ) {}

  /** Earns points for a purchase, once per (partner, reference). */
  async record(input: RecordPurchaseInput): Promise<LedgerEntry> {
    const now = this.clock.now();
    const partnerId = requireId(input.partnerId, "partnerId");
    const memberId = requireId(input.memberId, "memberId");
    const amountMinor = requireInt(input.amountMinor, "amountMinor", { min: 1, max: MAX_AMOUNT_MINOR });
    const currency = input.currency.trim().toUpperCase();
    const reference = requireText(input.reference, "reference", { max: 100 });
    const occurredAt = input.occurredAt ?? null;
    if (occurredAt) {
      if (Number.isNaN(occurredAt.getTime()) || occurredAt.getTime() > now.getTime() + CLOCK_SKEW_MS) {
        throw badInput("occurredAt must not be in the future", "occurredAt");
      }
      if (occurredAt.getTime() < now.getTime() - MAX_BACKDATE_DAYS * DAY_MS) {
        throw badInput(`occurredAt must be within the last ${MAX_BACKDATE_DAYS} days`, "occurredAt");
      }
    }
    const idempotencyKey = `purchase:${partnerId}:${reference}`;
    const request = { memberId, amountMinor, currency, occurredAt: occurredAt?.toISOString() ?? null };

    // A replay is answered from the ledger alone, before asking any other service.
    const replayed = await findIdempotent(this.dataSource.manager, idempotencyKey, request);
    if (replayed) return findMemberEntryOf(this.dataSource.manager, replayed, memberId);

    const rule = await this.references.earnRule(partnerId, memberId);
    if (currency !== rule.currency) {
      throw badInput(`This partner records purchases in ${rule.currency}, not ${currency}`, "currency");
    }
    const basePoints = pointsForPurchase(amountMinor, rule.pointsPerUnit);
    const earnedAt = occurredAt ?? now;
    const transactionId = await this.dataSource.transaction(async (manager) => {
      const member = await lockMember(manager, memberId);
      // The tier when the purchase is recorded sets the bonus; only base points qualify for tier.
      const tier = tierStanding(await qualifyingPoints(manager, memberId, now)).current;
      const points = Math.floor((basePoints * TIER_MULTIPLIER_PERCENT[tier]) / 100);
      const posted = await postTransaction(manager, {
        kind: "EARN",
        idempotencyKey,
        request,
        partnerId,
        reference,
        occurredAt: earnedAt,
        postings: [
          { account: { kind: "MEMBER", ownerId: memberId }, amount: points, entryKind: "EARN" },
          { account: { kind: "PARTNER_ISSUANCE", ownerId: partnerId }, amount: -points },
        ],
      });
      if (!posted.created) return posted.transactionId;
      const availableAt = new Date(earnedAt.getTime() + rule.returnWindowDays * DAY_MS);
      // New points first repay what refunds left the member owing.
      const repaid = Math.min(member.debt, points);
      await addDebt(manager, memberId, -repaid);
      await manager.query(
        `INSERT INTO purchases (transaction_id, member_id, partner_id, amount_minor, points, base_points, earned_at, available_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [posted.transactionId, memberId, partnerId, amountMinor, points, basePoints, earnedAt, availableAt],
      );
      await insertLots(manager, [
        {
          transactionId: posted.transactionId,
          memberId,
          partnerId,
          source: "EARN",
          points,
          remaining: points - repaid,
          earnedAt,
          availableAt,
          expiresAt: addMonths(earnedAt, this.expiryMonths),
        },
      ]);
      await addPartnerPoints(manager, memberId, partnerId, { earned: points });
      await addQualifying(manager, memberId, earnedAt, basePoints);
      return posted.transactionId;
    });
    return findMemberEntryOf(this.dataSource.manager, transactionId, memberId);
  }
}
