import DataLoader from "dataloader";
import type { EntityManager } from "typeorm";
import { isUuid } from "../../../../shared/src/validation";
import type { Clock } from "../clock";
import { lotChainSql } from "../journal/lots";
import { takenBackSql } from "../journal/take-back";
import { safeIntegerFromSql } from "../limits";
import { partnerStub } from "../partner/partner.type";
import { STATEMENT_LINES } from "../rules";
import { lineSql } from "../sql/clearing";
import { outstandingSql } from "../sql/liability";
import { PartnerSettlement } from "./settlement.type";

export interface SettlementKey {
  partnerId: string;
  /** Validated by requireSettlementRange: from < to, at most 366 days apart. */
  from: Date;
  to: Date;
}

interface SettlementRow {
  k: string;
  issued: string;
  reversed: string;
  redeemed: string;
  expired: string;
  outstanding: string;
}

/**
 * Every key's figures in one statement. Period figures come from the postings on the partner's
 * three accounts inside [from, to) (postings_account_time_idx), by transaction kind, signs turned so
 * that all are non-negative: an EARN debits the issuance account, a REVERSAL credits it, a REDEEM
 * credits the redemption account and an EXPIRY (or an erasure's forfeit) the breakage account, less what
 * refunds took back of that expiry (counted in the expiry's window: against the first expiry of the lot
 * the refunded purchase made or of a lot its points moved to, which all expire at the same time). The liability is what the
 * partner's unexpired lots still hold now, counted as Partner.liability counts it (sql/liability.ts: lots_partner_idx).
 */
const EXPIRED_LINES = [...new Set(STATEMENT_LINES.filter((r) => r.figure === "expired").map((r) => `'${r.line}'`))].join(", ");

const SETTLEMENT_SQL = `
  SELECT k.k,
         coalesce(-s.issued, 0) AS issued, coalesce(s.reversed, 0) AS reversed,
         coalesce(s.redeemed, 0) AS redeemed, coalesce(s.expired, 0) AS expired,
         o.points AS outstanding
  FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[]) WITH ORDINALITY AS k(partner_id, from_at, to_at, k)
  LEFT JOIN LATERAL (
    SELECT sum(p.amount) FILTER (WHERE a.kind = 'PARTNER_ISSUANCE' AND t.kind = 'EARN') AS issued,
           sum(p.amount) FILTER (WHERE a.kind = 'PARTNER_ISSUANCE' AND t.kind = 'REVERSAL') AS reversed,
           -- Net of cancelled redemptions (REVERSAL postings that give the points back).
           sum(p.amount) FILTER (WHERE a.kind = 'PARTNER_REDEMPTION' AND t.kind IN ('REDEEM', 'REVERSAL')) AS redeemed,
           -- What the statement counts as expired, classified by the clearing house's rules (rules/clearing.ts): expiries
           -- and erasures' forfeits by lot; an erasure from before ErasureForfeitsAsBreakage1734830000000 (no lot) stays out.
           -- A refund's take-back of a lot's expired points (journal/take-back.ts) counts against that lot's expiry, in
           -- the expiry's window, not on the refund's date: there it made the figure negative.
           sum(p.amount - coalesce(tb.points, 0))
             FILTER (WHERE a.kind = 'PARTNER_BREAKAGE' AND t.reversal_reason IS NULL AND ${lineSql("m")} IN (${EXPIRED_LINES})) AS expired
    FROM accounts a
    JOIN postings p ON p.account_id = a.id AND p.occurred_at >= k.from_at AND p.occurred_at < k.to_at
    JOIN transactions t ON t.id = p.transaction_id
    CROSS JOIN LATERAL (SELECT a.kind AS account_kind, t.kind AS tx_kind, t.reversal_reason, t.expired_lot_id, p.amount) m
    LEFT JOIN LATERAL (
      -- The lot's root (the lot its origins lead to: journal/lots.ts lotChainSql), whose transaction refunds reverse; their
      -- take-backs count against the first expiry of the root's chain (all of whose lots expire at once, in one window).
      WITH RECURSIVE up AS (
        SELECT l.id, l.origin_lot_id, l.transaction_id FROM lots l WHERE t.kind = 'EXPIRY' AND a.kind = 'PARTNER_BREAKAGE' AND l.id = t.expired_lot_id
        UNION ALL SELECT o.id, o.origin_lot_id, o.transaction_id FROM lots o JOIN up ON o.id = up.origin_lot_id
      ), ${lotChainSql("r.id = (SELECT up.id FROM up WHERE up.origin_lot_id IS NULL)")}
      SELECT ${takenBackSql("up.transaction_id", "p.account_id")} AS points FROM up
      WHERE up.origin_lot_id IS NULL
        AND p.seq = (SELECT min(ep.seq) FROM chain JOIN transactions e ON e.idempotency_key = 'expiry:lot:' || chain.id
                     JOIN postings ep ON ep.transaction_id = e.id AND ep.member_id IS NULL)
    ) tb ON true
    WHERE a.owner_id = k.partner_id AND a.kind IN ('PARTNER_ISSUANCE', 'PARTNER_REDEMPTION', 'PARTNER_BREAKAGE')
  ) s ON true
  LEFT JOIN LATERAL (${outstandingSql("l.partner_id = k.partner_id", "$4")}) o ON true
  ORDER BY k.k`;

const settlement = (key: SettlementKey, row: SettlementRow | undefined) =>
  Object.assign(new PartnerSettlement(), {
    partner: partnerStub(key.partnerId),
    from: key.from,
    to: key.to,
    // Sums of bigints arrive as strings: read exactly, or refused past 2^53 − 1, never rounded.
    pointsIssued: safeIntegerFromSql(row?.issued),
    pointsReversed: safeIntegerFromSql(row?.reversed),
    pointsRedeemed: safeIntegerFromSql(row?.redeemed),
    pointsExpired: safeIntegerFromSql(row?.expired),
    outstandingLiability: safeIntegerFromSql(row?.outstanding),
  });

/**
 * Partner.settlement, keyed by partner and period: one SQL statement per batch. A partner the ledger
 * has never seen (or an id that is not a UUID) gets zeros: nothing tells it apart from a quiet one.
 */
export function createSettlementLoader(manager: EntityManager, clock: Clock) {
  return new DataLoader<SettlementKey, PartnerSettlement, string>(
    async (keys) => {
      const asked = keys.map((key, index) => ({ key, index })).filter(({ key }) => isUuid(key.partnerId));
      const rows: SettlementRow[] = asked.length
        ? await manager.query(SETTLEMENT_SQL, [
            asked.map(({ key }) => key.partnerId.toLowerCase()),
            asked.map(({ key }) => key.from),
            asked.map(({ key }) => key.to),
            clock.now(),
          ])
        : [];
      const byIndex = new Map(rows.map((row) => [asked[Number(row.k) - 1].index, row]));
      return keys.map((key, index) => settlement(key, byIndex.get(index)));
    },
    { cacheKeyFn: (key) => `${key.partnerId.toLowerCase()}:${key.from.toISOString()}:${key.to.toISOString()}` },
  );
}
