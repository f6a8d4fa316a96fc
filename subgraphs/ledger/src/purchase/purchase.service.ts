import type { DataSource } from "typeorm";
import { badInput, notFound } from "../../../../shared/src/errors";
import { SubgraphClient } from "../../../../shared/src/subgraph-client";
import { requireId, requireInt, requireText } from "../../../../shared/src/validation";
import type { Clock } from "../clock";
import { findMemberEntryOf } from "../entry/ledger-entry.loader";
import type { LedgerEntry } from "../entry/ledger-entry.type";
import { findIdempotent, postTransaction } from "../journal/journal";
import { type EarnRule, pointsForPurchase } from "./earn-rule";
import type { RecordPurchaseInput } from "./record-purchase.input";

export const MAX_AMOUNT_MINOR = 100_000_000;
const DAY_MS = 86_400_000;
const MAX_BACKDATE_DAYS = 365;
const CLOCK_SKEW_MS = 5 * 60_000;

export class PurchaseService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly partners = new SubgraphClient("partners"),
    private readonly members = new SubgraphClient("members"),
    private readonly expiryMonths = Number(process.env.POINTS_EXPIRY_MONTHS ?? 24),
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
    if (replayed) return findMemberEntryOf(this.dataSource.manager, replayed);

    const rule = await this.earnRule(partnerId, memberId);
    if (currency !== rule.currency) {
      throw badInput(`This partner records purchases in ${rule.currency}, not ${currency}`, "currency");
    }
    const points = pointsForPurchase(amountMinor, rule.pointsPerUnit);
    const earnedAt = occurredAt ?? now;
    const transactionId = await this.dataSource.transaction(async (manager) => {
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
      if (posted.created && points > 0) {
        await manager.query(
          `WITH lot AS (
             INSERT INTO earn_lots (transaction_id, member_id, partner_id, points, remaining, earned_at, available_at, expires_at)
             VALUES ($1, $2, $3, $4, $4, $5, $5::timestamptz + make_interval(days => $6), $5::timestamptz + make_interval(months => $7))
           ), by_partner AS (
             INSERT INTO member_partner_points (member_id, partner_id, earned) VALUES ($2, $3, $4)
             ON CONFLICT (member_id, partner_id) DO UPDATE SET earned = member_partner_points.earned + EXCLUDED.earned
           )
           INSERT INTO qualifying_points (member_id, day, points) VALUES ($2, ($5::timestamptz AT TIME ZONE 'UTC')::date, $4)
           ON CONFLICT (member_id, day) DO UPDATE SET points = qualifying_points.points + EXCLUDED.points`,
          [posted.transactionId, memberId, partnerId, points, earnedAt, rule.returnWindowDays, this.expiryMonths],
        );
      }
      return posted.transactionId;
    });
    return findMemberEntryOf(this.dataSource.manager, transactionId);
  }

  /** The partner's earn rule, and proof that the member exists (both owned by other services). */
  private async earnRule(partnerId: string, memberId: string): Promise<EarnRule> {
    const [[partner], [member]] = await Promise.all([
      this.partners.entities<EarnRule>("Partner", [partnerId], "id pointsPerUnit currency returnWindowDays"),
      this.members.entities<{ id: string }>("Member", [memberId], "id"),
    ]);
    if (!partner) throw notFound(`No partner with id ${partnerId}`);
    if (!member) throw notFound(`No member with id ${memberId}`);
    return partner;
  }
}
