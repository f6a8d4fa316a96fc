import type { EntityManager } from "typeorm";
import { addDebt, postTransaction } from "./journal";
import { lotChainSql } from "./lots";

/**
 * Posts the EXPIRY of every lot of a member past its expiry that still holds points (once per lot:
 * the key is the lot). The caller holds the member's lock and has already let those lots repay the
 * debt they could while they were spendable (lockMembers does, as of the instant before each expired).
 * Returns the lots and points expired.
 */
export async function expireLotsOf(manager: EntityManager, memberId: string, now: Date, postedAt = now): Promise<{ lots: number; points: number }> {
  const lots: { id: string; partner_id: string; remaining: number; expires_at: Date }[] = await manager.query(
    `SELECT id, partner_id, remaining, expires_at FROM lots
     WHERE member_id = $1 AND remaining > 0 AND expires_at <= $2 ORDER BY expires_at, id FOR UPDATE`,
    [memberId, now],
  );
  await lockBreakageAccounts(manager, lots.map((lot) => lot.partner_id));
  let points = 0;
  for (const lot of lots) {
    await postTransaction(manager, {
      kind: "EXPIRY",
      idempotencyKey: `expiry:lot:${lot.id}`,
      request: { lotId: lot.id, points: lot.remaining },
      partnerId: lot.partner_id,
      reference: null,
      occurredAt: lot.expires_at,
      // Breakage belongs to the period the run posts it in (rules/clearing-periods.ts postingTime: a run as of
      // an earlier instant still posts when it writes); the lot's price values it (rules/clearing.ts).
      postedAt,
      expiredLotId: lot.id,
      postings: [
        { account: { kind: "MEMBER", ownerId: memberId }, amount: -lot.remaining, entryKind: "EXPIRY" },
        { account: { kind: "PARTNER_BREAKAGE", ownerId: lot.partner_id }, amount: lot.remaining },
      ],
    });
    await manager.query(`UPDATE lots SET remaining = 0 WHERE id = $1`, [lot.id]);
    points += lot.remaining;
  }
  return { lots: lots.length, points };
}

/**
 * Locks the breakage accounts of `partnerIds` (creating them at zero when new) in the accounts' (kind,
 * owner) order, the order postLegs moves a transaction's accounts in, before the expiries post to them
 * one lot at a time in expiry order. Taken in expiry order, a member whose points from P expire before
 * those from Q took P's account then Q's, another member the other way round, and two such writes at
 * once (two refunds, a refund and the expiry run) met in a lock cycle: Postgres aborted one.
 */
export async function lockBreakageAccounts(manager: EntityManager, partnerIds: string[]): Promise<void> {
  const owners = [...new Set(partnerIds)];
  if (!owners.length) return;
  await manager.query(
    `INSERT INTO accounts (kind, owner_id) SELECT 'PARTNER_BREAKAGE', id FROM unnest($1::uuid[]) AS id ORDER BY id ON CONFLICT DO NOTHING`,
    [owners],
  );
  await manager.query(`SELECT 1 FROM accounts WHERE kind = 'PARTNER_BREAKAGE' AND owner_id = ANY($1::uuid[]) ORDER BY owner_id FOR UPDATE`, [owners]);
}

/**
 * Breakage accounts before issuance accounts: a write that may post to breakage accounts (expiring the
 * members' lots past expiry, or taking back what the lots of `lotTransactionIds` lost to expiry) locks
 * them all here, in account order, right after the members' locks and before any issuance account or
 * campaign budget. A debit posted to its funder's issuance account and then expired the member's lots
 * (breakage), while a refund at that partner expired first and then posted to its issuance account: the
 * two met in a lock cycle, and Postgres aborted one; so did a refund with campaign bonuses, which locks
 * its partner's issuance account before the budgets (campaign/bonus-reversal.ts) and expired after, and
 * another refund at that partner. The caller holds the members' locks.
 */
export async function lockBreakageBeforeIssuance(manager: EntityManager, memberIds: string[], now: Date, lotTransactionIds: string[] = []): Promise<void> {
  const rows: { partner_id: string }[] = await manager.query(
    `WITH RECURSIVE ${lotChainSql("r.transaction_id = ANY($3::uuid[])")}
     SELECT partner_id FROM lots WHERE member_id = ANY($1::uuid[]) AND remaining > 0 AND expires_at <= $2
     -- A lot that has expired (its EXPIRY posted), or a lot whose origins lead to it, may be taken back from its
     -- issuer's breakage (journal/take-back.ts). Past expiry, whether posted yet or not: held here, the account
     -- keeps any other writer from posting an expiry of one of them before the refund has read them.
     UNION SELECT chain.partner_id FROM chain JOIN lots l ON l.id = chain.id
       WHERE l.expires_at <= $2 OR EXISTS (SELECT FROM transactions e WHERE e.idempotency_key = 'expiry:lot:' || chain.id)`,
    [memberIds, now, lotTransactionIds],
  );
  await lockBreakageAccounts(manager, rows.map((row) => row.partner_id));
}

/**
 * Adds `points` to a member's debt (a refund or a debit the member's spendable points could not
 * cover). Lots already past their expiry are expired first: they were not spendable when this debt
 * arose, so no later repayment may take them for it (README: points past expiry are never available).
 * The caller holds the member's lock (lockMembers let those lots repay the debt there was before).
 */
export async function owe(manager: EntityManager, memberId: string, points: number, now: Date): Promise<void> {
  if (points <= 0) return;
  await expireLotsOf(manager, memberId, now);
  await addDebt(manager, memberId, points);
}
