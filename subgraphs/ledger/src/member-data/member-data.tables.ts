import type { MemberDataTable } from "../../../../shared/src/member-data/member-data-export";
import { memberSeenPartnerSql, othersIssuerSql } from "../sql/lot-issuer";

/**
 * Every table of the ledger that holds a member's data, one line each: the member's export reads
 * exactly these (test/member-export.test.ts fails when a table with a member id is missing). A
 * transaction's idempotency key and fingerprint stay out: a received transfer's key is the sender's.
 */
export const LEDGER_MEMBER_DATA_TABLES: readonly MemberDataTable[] = [
  { table: "accounts", where: "kind = 'MEMBER' AND owner_id = $1", orderBy: "id" },
  { table: "postings", orderBy: "seq" },
  {
    table: "transactions",
    where: "id IN (SELECT transaction_id FROM postings WHERE member_id = $1)",
    // Every column but these two, so a column a later migration adds is exported too (posted_at and expired_lot_id were not).
    omit: ["idempotency_key", "fingerprint"],
    // The expiry of transferred points names their issuer, the sender's (sql/lot-issuer.ts), as LedgerEntry.partner does not.
    replace: { partner_id: memberSeenPartnerSql("t", "$1") },
    orderBy: "occurred_at, id",
  },
  {
    table: "lots",
    // The issue price a lot was charged at is its issuer's terms (Partner.terms: its own apps and admins), not the member's.
    omit: ["issue_price_per_1000"],
    // A transferred lot keeps the sender's issuer, and points returned by a cancelled redemption their lot's: where the sender
    // earned them is the sender's. A returned lot names its issuer only when the member earned points there themself.
    // A received lot's origin is the sender's lot (LotOrigins1734930000000): shown only when the lot it names is the member's own.
    replace: {
      partner_id: `CASE WHEN ${othersIssuerSql("t", "$1")} THEN NULL ELSE t.partner_id END`,
      origin_lot_id: `CASE WHEN EXISTS (SELECT FROM lots o WHERE o.id = t.origin_lot_id AND o.member_id = $1) THEN t.origin_lot_id END`,
    },
    orderBy: "id",
  },
  { table: "lot_takes", where: "lot_id IN (SELECT id FROM lots WHERE member_id = $1)", orderBy: "lot_id, transaction_id" },
  { table: "holds", orderBy: "created_at, redemption_id" },
  { table: "purchases", orderBy: "earned_at, transaction_id" },
  { table: "member_partner_points", orderBy: "partner_id" },
  { table: "qualifying_points", orderBy: "day" },
  { table: "pending_days", orderBy: "day" },
  { table: "transfer_days", orderBy: "day" },
  { table: "member_erasures", orderBy: "member_id" },
  { table: "adjustments", orderBy: "transaction_id" },
  {
    // A referrer's bonus row names the friend's EARN transaction: only the member's own purchases are shown.
    table: "campaign_bonuses",
    columns:
      "t.transaction_id, t.campaign_id, CASE WHEN EXISTS (SELECT FROM postings p WHERE p.transaction_id = t.earn_transaction_id AND p.member_id = $1) " +
      "THEN t.earn_transaction_id END AS earn_transaction_id, t.member_id, t.funder_kind, t.funder_id, t.points, t.reversed_points",
    orderBy: "transaction_id",
  },
  { table: "campaign_member_points", orderBy: "campaign_id" },
  {
    // Each side sees its own part: never the other member's id, nor the friend's purchase (the referrer's bonus is in its own entries),
    // nor whether the referrer was rewarded (not: erased, at their limit, or near the points cap), which is the referrer's alone, nor
    // when the referral was made, which is the friend's (their enrolment, to the millisecond: `enrolledAt` is theirs and admins' only).
    table: "referrals",
    where: "referred_member_id = $1 OR referrer_member_id = $1",
    columns:
      "CASE WHEN t.referred_member_id = $1 THEN t.referred_member_id END AS referred_member_id, " +
      "CASE WHEN t.referrer_member_id = $1 THEN t.referrer_member_id END AS referrer_member_id, t.bonus_points, t.referrer_max, " +
      "CASE WHEN t.referred_member_id = $1 THEN t.earn_transaction_id END AS earn_transaction_id, " +
      "CASE WHEN t.referrer_member_id = $1 THEN t.referrer_rewarded END AS referrer_rewarded, " +
      "CASE WHEN t.referred_member_id = $1 THEN t.created_at END AS created_at",
    orderBy: "created_at, referred_member_id",
  },
  { table: "member_earn_months", orderBy: "month, partner_id" },
  { table: "audit_events", orderBy: "occurred_at, id" },
];
