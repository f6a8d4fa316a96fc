import type { EntityManager } from "typeorm";
import { expireLotsOf, owe } from "./expire-lots";
import type { AccountKind, Posting } from "./journal";
import { lotChainSql, takeOldest } from "./lots";
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
 * is read. What expired is what the lot and every lot whose origins lead to it (its points given back
 * by a cancelled redemption, or transferred) lost to expiry, at the price and share the first of those
 * expiries was credited (the valuation prices the take-back by that one: sql/clearing.ts
 * firstExpiryOfReversedChainSql); earlier refunds' take-backs are their postings to that breakage
 * account (the refunds of one purchase, or reversals of one bonus, run one at a time under its row's
 * lock). The caller holds the member's lock, and the breakage accounts' (lockBreakageBeforeIssuance),
 * inside the refund's transaction: no expiry of those lots is posted meanwhile.
 */
export async function planTakeBack(manager: EntityManager, memberId: string, lotId: string | null, points: number, now: Date): Promise<TakeBack> {
  const fromMemberOnly: TakeBack = { fromMember: points, fromExpired: 0, breakage: null };
  if (!lotId || points <= 0) return fromMemberOnly;
  await expireLotsOf(manager, memberId, now);
  const [expiry]: { kind: AccountKind; owner_id: string; expired: string; taken_back: string }[] = await manager.query(
    `WITH RECURSIVE ${lotChainSql("r.id = $1")}, expiries AS (
       SELECT p.account_id, p.amount, p.seq, mp.price_per_1000, mp.share_percent
       FROM chain JOIN transactions e ON e.idempotency_key = 'expiry:lot:' || chain.id
       JOIN postings p ON p.transaction_id = e.id AND p.member_id IS NULL
       JOIN accounts a ON a.id = p.account_id
       LEFT JOIN movement_prices mp ON mp.transaction_id = e.id AND mp.partner_id = a.owner_id
     ), first AS (SELECT * FROM expiries ORDER BY seq LIMIT 1)
     SELECT a.kind, a.owner_id,
            (SELECT sum(x.amount) FROM expiries x WHERE x.account_id = f.account_id
               AND (x.price_per_1000, x.share_percent) IS NOT DISTINCT FROM (f.price_per_1000, f.share_percent)) AS expired,
            ${takenBackSql("(SELECT l.transaction_id FROM lots l WHERE l.id = $1)", "f.account_id")} AS taken_back
     FROM first f JOIN accounts a ON a.id = f.account_id`,
    [lotId],
  );
  if (!expiry) return fromMemberOnly;
  const expired = fromExpired(points, Number(expiry.expired), Number(expiry.taken_back));
  return { fromMember: points - expired, fromExpired: expired, breakage: expired > 0 ? { kind: expiry.kind, ownerId: expiry.owner_id } : null };
}

/**
 * The members other than `memberId` who hold points of the lots of `lotTransactionIds` (through their
 * origins: a transfer received) past their expiry, not yet expired: a refund locks them with its member
 * and expires those lots first, so that what the issuer's breakage will be credited for them is taken
 * back there, not charged to the buyer. Read before the locks: such lots can no longer move (points past
 * expiry are not spendable).
 */
export async function dueHoldersOf(manager: EntityManager, memberId: string, lotTransactionIds: string[], now: Date): Promise<string[]> {
  const rows: { member_id: string }[] = await manager.query(
    `WITH RECURSIVE ${lotChainSql("r.transaction_id = ANY($1::uuid[])")}
     SELECT DISTINCT l.member_id FROM chain JOIN lots l ON l.id = chain.id
     WHERE l.remaining > 0 AND l.expires_at <= $2 AND l.member_id <> $3`,
    [lotTransactionIds, now, memberId],
  );
  return rows.map((row) => row.member_id);
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
