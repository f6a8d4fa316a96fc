import type { EntityManager } from "typeorm";
import { expireLotsOf, owe } from "./expire-lots";
import type { AccountKind, Posting } from "./journal";
import { takeOldest } from "./lots";
import { fromExpired } from "../rules";

/** Where a refund takes back points of one lot's transaction (a purchase's, or a bonus's), in the order of rules/refunds.ts. */
export interface TakeBack {
  /** From the member: their lots (the refunded lot first), then a debt. */
  fromMember: number;
  /** From what the refunded lot lost to expiry, back off the breakage account its expiry credited. */
  fromExpired: number;
  breakage: { kind: AccountKind; ownerId: string } | null;
}

/**
 * Plans where a refund's `points` of the transaction that made `lotId` come from (rules/refunds.ts
 * `fromExpired`). The member's lots past their expiry are expired first (a debt expires them too:
 * `owe`), so that a lot the refund finds past its expiry has lost its points to the breakage before it
 * is read. Earlier refunds' take-backs of the lot's expiry are their postings to that breakage account
 * (the refunds of one purchase, or reversals of one bonus, run one at a time under its row's lock).
 * The caller holds the member's lock, inside the refund's transaction.
 */
export async function planTakeBack(manager: EntityManager, memberId: string, lotId: string | null, points: number, now: Date): Promise<TakeBack> {
  const fromMemberOnly: TakeBack = { fromMember: points, fromExpired: 0, breakage: null };
  if (!lotId || points <= 0) return fromMemberOnly;
  await expireLotsOf(manager, memberId, now);
  const [expiry]: { kind: AccountKind; owner_id: string; expired: string; taken_back: string }[] = await manager.query(
    `SELECT a.kind, a.owner_id, p.amount AS expired, ${takenBackSql("l.transaction_id", "p.account_id")} AS taken_back
     FROM lots l
     JOIN transactions e ON e.idempotency_key = 'expiry:lot:' || l.id
     JOIN postings p ON p.transaction_id = e.id AND p.member_id IS NULL
     JOIN accounts a ON a.id = p.account_id
     WHERE l.id = $1`,
    [lotId],
  );
  if (!expiry) return fromMemberOnly;
  const expired = fromExpired(points, Number(expiry.expired), Number(expiry.taken_back));
  return { fromMember: points - expired, fromExpired: expired, breakage: expired > 0 ? { kind: expiry.kind, ownerId: expiry.owner_id } : null };
}

/** The transactions whose lots a refund of purchase `earnTransactionId` takes back from: the purchase's and its bonuses'. */
export async function lotTransactionsOf(manager: EntityManager, earnTransactionId: string): Promise<string[]> {
  const rows: { transaction_id: string }[] = await manager.query(`SELECT transaction_id FROM campaign_bonuses WHERE earn_transaction_id = $1`, [earnTransactionId]);
  return [earnTransactionId, ...rows.map((row) => row.transaction_id)];
}

/**
 * The points refunds took back off breakage account `account` for the lot made by transaction
 * `lotTransaction` (a purchase's, or a bonus's): their postings there, as a positive figure (0 without any).
 */
export const takenBackSql = (lotTransaction: string, account: string) =>
  `coalesce((SELECT -sum(r.amount) FROM transactions rt JOIN postings r ON r.transaction_id = rt.id
             WHERE rt.reverses_transaction_id = ${lotTransaction} AND rt.reversal_reason = 'PURCHASE_REFUND' AND r.account_id = ${account}), 0)`;

/** The refund's posting that takes its expired points back off the breakage account, if any. */
export const breakagePostings = (plan: TakeBack): Posting[] => (plan.breakage ? [{ account: plan.breakage, amount: -plan.fromExpired }] : []);

/** Takes the member's part of a refund: their spendable lots (the refunded lot first, even pending), the rest as a debt. */
export async function takeFromMember(manager: EntityManager, memberId: string, lotId: string | null, points: number, now: Date): Promise<void> {
  const taken = await takeOldest(manager, memberId, points, now, { firstLotId: lotId });
  await owe(manager, memberId, points - taken.reduce((sum, slice) => sum + slice.taken, 0), now);
}

/**
 * Whether posting `p` of a refund is points it took back from a breakage account: with the member's own
 * posting, what the refund took back (the checks of ledger:verify recompute refunded points from both).
 */
export const fromBreakageSql = (p: string) => `${p}.account_id IN (SELECT ba.id FROM accounts ba WHERE ba.kind = 'PARTNER_BREAKAGE')`;
