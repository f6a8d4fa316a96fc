import { createHash } from "node:crypto";
import type { EntityManager } from "typeorm";
import { appError } from "../../../../shared/src/errors";
import { refusingPastPrepaidAllowance } from "../clearing/prepaid-limit";

export type AccountKind = "MEMBER" | "PARTNER_ISSUANCE" | "PARTNER_REDEMPTION" | "PARTNER_BREAKAGE" | "COALITION_ISSUANCE";
/** The owner of the one COALITION_ISSUANCE account: points the coalition itself funds. */
export const COALITION_OWNER_ID = "00000000-0000-0000-0000-000000000000";
export type TransactionKind = "EARN" | "REDEEM" | "TRANSFER" | "EXPIRY" | "REVERSAL" | "ADJUSTMENT" | "BONUS";
export type EntryKind = "EARN" | "REDEEM" | "TRANSFER_IN" | "TRANSFER_OUT" | "EXPIRY" | "REVERSAL" | "ADJUSTMENT" | "BONUS";

export interface Posting {
  account: { kind: AccountKind; ownerId: string };
  amount: number;
  /** For postings to a member account: the kind of entry the member sees. */
  entryKind?: EntryKind;
}

/**
 * Why a REVERSAL reverses (the `reversal_reason` column): a refunded purchase, a cancelled redemption.
 * A refund's share of a purchase's bonus is a BONUS transaction with reason PURCHASE_REFUND, reversing
 * that bonus (ReversalsAsCharged1734330000000): valued at the price the bonus was charged.
 */
export type ReversalReason = "PURCHASE_REFUND" | "REDEMPTION_CANCELLED";

export interface NewTransaction {
  kind: TransactionKind;
  /** Set on every REVERSAL and on a bonus's reversal (a BONUS), on nothing else: why, and the transaction it reverses. */
  reversal?: { reason: ReversalReason; reversesTransactionId: string };
  idempotencyKey: string;
  /** The request's input; the same key with another input is an IDEMPOTENCY_CONFLICT. */
  request: unknown;
  partnerId: string | null;
  reference: string | null;
  occurredAt: Date;
  /**
   * When the ledger writes it (its clock's now): the settlement period it belongs to. Defaults to
   * occurredAt, which is now for every writer but the expiry run (a lot's expiry time) and late purchases.
   */
  postedAt?: Date;
  /** For an EXPIRY: the lot it expires (its issue price values the breakage, rules/clearing.ts). */
  expiredLotId?: string;
  /**
   * The lots it took points from, recorded (`lot_takes`) before its postings, whose valuation reads them:
   * a negative adjustment's (TAKEN_LOTS_PRICE, rules/clearing.ts). Only postTransaction writes them.
   */
  lotTakes?: readonly { lotId: string; points: number }[];
  postings: Posting[];
}

export const fingerprint = (request: unknown) => createHash("sha256").update(JSON.stringify(request)).digest("hex");

/** The outcome of an idempotent write: the transaction, and whether this call created it. */
export interface Posted {
  transactionId: string;
  created: boolean;
}

/**
 * Finds the transaction already recorded under an idempotency key: same input, its id; other input,
 * IDEMPOTENCY_CONFLICT; none, null.
 */
export async function findIdempotent(manager: EntityManager, key: string, request: unknown): Promise<string | null> {
  const [row] = await manager.query(`SELECT id, fingerprint FROM transactions WHERE idempotency_key = $1`, [key]);
  if (!row) return null;
  if (row.fingerprint !== fingerprint(request)) throw idempotencyConflict(key);
  return row.id;
}

/**
 * The field the caller chose a key with, by the internal key's scope: the message names that field
 * (the caller knows the value it sent), never the internal key, which also holds the scope's ids.
 */
const CALLERS_KEY_FIELD: Record<string, string> = { purchase: "reference", reversal: "refundReference", transfer: "idempotencyKey", adjustment: "idempotencyKey" };

export function idempotencyConflict(key: string) {
  const field = CALLERS_KEY_FIELD[key.slice(0, key.indexOf(":"))] ?? "idempotencyKey";
  return appError("IDEMPOTENCY_CONFLICT", `This ${field} was already used for a request with different input; use a new ${field} for a new request`, { field });
}

/**
 * Records a balanced transaction and moves the running balances, inside the caller's database
 * transaction. A concurrent writer with the same key makes this return `created: false` with the
 * winner's id: the unique index makes the loser wait for the winner's commit, so it never posts twice.
 */
export async function postTransaction(manager: EntityManager, tx: NewTransaction): Promise<Posted> {
  const sum = tx.postings.reduce((total, p) => total + p.amount, 0);
  if (sum !== 0) throw new Error(`Unbalanced ${tx.kind} transaction: postings sum to ${sum}`);
  const [inserted] = await manager.query(
    `INSERT INTO transactions (kind, idempotency_key, fingerprint, partner_id, reference, occurred_at, reversal_reason, reverses_transaction_id, posted_at, expired_lot_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
    [
      tx.kind, tx.idempotencyKey, fingerprint(tx.request), tx.partnerId, tx.reference, tx.occurredAt,
      tx.reversal?.reason ?? null, tx.reversal?.reversesTransactionId ?? null, tx.postedAt ?? tx.occurredAt, tx.expiredLotId ?? null,
    ],
  );
  if (!inserted) {
    const existing = await findIdempotent(manager, tx.idempotencyKey, tx.request);
    return { transactionId: existing!, created: false };
  }
  const takes = (tx.lotTakes ?? []).filter((take) => take.points > 0);
  if (takes.length) {
    await manager.query(`INSERT INTO lot_takes (transaction_id, lot_id, points) SELECT $1, * FROM unnest($2::bigint[], $3::int[])`, [
      inserted.id, takes.map((take) => take.lotId), takes.map((take) => take.points),
    ]);
  }
  await postLegs(manager, [{ transactionId: inserted.id, tx }]);
  return { transactionId: inserted.id, created: true };
}

/**
 * Records many balanced transactions at once, each under a key not used before (a key already taken
 * fails the whole statement: no replay here, unlike postTransaction), in two statements whatever their
 * number, so the valuation trigger runs once over all of them. For a writer that posts one transaction
 * per lot of a member under the member's lock (an erasure's forfeit): one postTransaction per lot took
 * seconds for a thousand lots while holding the clearing lock, which new terms and a period's close
 * wait for, and every writer behind them.
 */
export async function postNewTransactions(manager: EntityManager, txs: readonly NewTransaction[]): Promise<void> {
  if (!txs.length) return;
  for (const tx of txs) {
    const sum = tx.postings.reduce((total, p) => total + p.amount, 0);
    if (sum !== 0) throw new Error(`Unbalanced ${tx.kind} transaction: postings sum to ${sum}`);
  }
  const inserted: { id: string; idempotency_key: string }[] = await manager.query(
    `INSERT INTO transactions (kind, idempotency_key, fingerprint, partner_id, reference, occurred_at, reversal_reason, reverses_transaction_id, posted_at, expired_lot_id)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::uuid[], $5::text[], $6::timestamptz[], $7::text[], $8::uuid[], $9::timestamptz[], $10::bigint[])
     RETURNING id, idempotency_key`,
    [
      txs.map((tx) => tx.kind), txs.map((tx) => tx.idempotencyKey), txs.map((tx) => fingerprint(tx.request)), txs.map((tx) => tx.partnerId),
      txs.map((tx) => tx.reference), txs.map((tx) => tx.occurredAt), txs.map((tx) => tx.reversal?.reason ?? null),
      txs.map((tx) => tx.reversal?.reversesTransactionId ?? null), txs.map((tx) => tx.postedAt ?? tx.occurredAt), txs.map((tx) => tx.expiredLotId ?? null),
    ],
  );
  const idOf = new Map(inserted.map((row) => [row.idempotency_key, row.id]));
  await postLegs(manager, txs.map((tx) => ({ transactionId: idOf.get(tx.idempotencyKey)!, tx })));
}

/**
 * One statement for the postings of new transactions: upsert every account touched, move its balance
 * (each account once, in kind and owner order, as every writer locks them), and append the postings,
 * whose trigger values them (sql/clearing.ts; a PREPAID issuer past its allowance fails it, LIMIT_EXCEEDED).
 */
async function postLegs(manager: EntityManager, posted: readonly { transactionId: string; tx: NewTransaction }[]): Promise<void> {
  const legs = posted.flatMap(({ transactionId, tx }) => tx.postings.map((p) => ({ transactionId, occurredAt: tx.occurredAt, p })));
  await refusingPastPrepaidAllowance(manager.query(
    `WITH p AS (
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::bigint[], $5::text[], $6::timestamptz[]) AS p(transaction_id, kind, owner_id, amount, entry_kind, occurred_at)
     ), moved AS (
       INSERT INTO accounts (kind, owner_id, balance)
       SELECT kind, owner_id, sum(amount) FROM p GROUP BY kind, owner_id ORDER BY kind, owner_id
       ON CONFLICT (kind, owner_id) DO UPDATE SET balance = accounts.balance + EXCLUDED.balance
       RETURNING id, kind, owner_id
     )
     INSERT INTO postings (transaction_id, account_id, amount, occurred_at, member_id, entry_kind)
     SELECT p.transaction_id, moved.id, p.amount, p.occurred_at, CASE WHEN p.kind = 'MEMBER' THEN p.owner_id END, p.entry_kind
     FROM p JOIN moved USING (kind, owner_id)`,
    [
      legs.map((l) => l.transactionId),
      legs.map((l) => l.p.account.kind),
      legs.map((l) => l.p.account.ownerId),
      legs.map((l) => l.p.amount),
      legs.map((l) => (l.p.account.kind === "MEMBER" ? (l.p.entryKind ?? null) : null)),
      legs.map((l) => l.occurredAt),
    ],
  ));
}

export interface LockedMember {
  balance: number;
  debt: number;
}

/**
 * Locks members' account rows (creating them at zero when new), in id order so that two transfers
 * between the same members cannot deadlock. Every write that reads a member's points before moving
 * them takes this lock first: concurrent writers for one member queue up and each sees the last one's result.
 * Under the lock, a member's debt is first repaid by points that have become spendable since they
 * arrived pending (rules/debt.ts: pending points repay a debt only once available).
 */
export async function lockMembers(manager: EntityManager, memberIds: string[], now: Date): Promise<Map<string, LockedMember>> {
  const ids = [...new Set(memberIds)].sort();
  await manager.query(
    `INSERT INTO accounts (kind, owner_id) SELECT 'MEMBER', id FROM unnest($1::uuid[]) AS id ORDER BY id ON CONFLICT DO NOTHING`,
    [ids],
  );
  const rows: { owner_id: string; balance: string; debt: string }[] = await manager.query(
    `SELECT owner_id, balance, debt FROM accounts WHERE kind = 'MEMBER' AND owner_id = ANY($1::uuid[]) ORDER BY owner_id FOR UPDATE`,
    [ids],
  );
  const locked = new Map(rows.map((row) => [row.owner_id, { balance: Number(row.balance), debt: Number(row.debt) }]));
  for (const [memberId, member] of locked) if (member.debt > 0) member.debt = await repayDebtInTimeOrder(manager, memberId, now);
  return locked;
}

/**
 * Repays a debt from the points that became spendable since the member's last write, in the order it
 * happened (sql/repay-debt.ts, the one definition, which record_purchases calls too). Returns the debt
 * left. The caller holds the lock.
 */
export async function repayDebtInTimeOrder(manager: EntityManager, memberId: string, now: Date): Promise<number> {
  const [row] = await manager.query(`SELECT repay_debt_in_time_order($1, $2) AS debt`, [memberId, now]);
  return Number(row.debt);
}

export async function lockMember(manager: EntityManager, memberId: string, now: Date): Promise<LockedMember> {
  return (await lockMembers(manager, [memberId], now)).get(memberId)!;
}

/** Moves a member's debt (never a posting: the balance already carries it). */
export async function addDebt(manager: EntityManager, memberId: string, delta: number): Promise<void> {
  if (delta !== 0) await manager.query(`UPDATE accounts SET debt = debt + $2 WHERE kind = 'MEMBER' AND owner_id = $1`, [memberId, delta]);
}
