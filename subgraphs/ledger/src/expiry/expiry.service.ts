import type { DataSource } from "typeorm";
import { lockMember, postTransaction, repayDebtFromMatured } from "../journal/journal";

export interface ExpiryRun {
  lots: number;
  points: number;
  members: number;
}

/**
 * Posts an EXPIRY transaction for every lot past its expiry that still holds points, one member at a
 * time under that member's lock (so it never races a redemption). Idempotent per lot: a second run,
 * or two runs at once, expire nothing twice.
 */
export async function expireDueLots(dataSource: DataSource, now: Date, batchSize = 500): Promise<ExpiryRun> {
  const run: ExpiryRun = { lots: 0, points: 0, members: 0 };
  // Days that have passed are never read again (see the PendingDays migration); passed by both the
  // ledger's clock and the database's, since a test clock may be moved back.
  await dataSource.query(`DELETE FROM pending_days WHERE day < (least($1::timestamptz, now()) AT TIME ZONE 'UTC')::date - 1`, [now]);
  for (;;) {
    const due: { member_id: string }[] = await dataSource.query(
      `SELECT DISTINCT member_id FROM lots WHERE remaining > 0 AND expires_at <= $1 LIMIT $2`,
      [now, batchSize],
    );
    if (!due.length) return run;
    for (const { member_id: memberId } of due) {
      await dataSource.transaction(async (manager) => {
        let { debt } = await lockMember(manager, memberId, now);
        const lots: { id: string; partner_id: string; remaining: number; expires_at: Date }[] = await manager.query(
          `SELECT id, partner_id, remaining, expires_at FROM lots
           WHERE member_id = $1 AND remaining > 0 AND expires_at <= $2 ORDER BY expires_at, id FOR UPDATE`,
          [memberId, now],
        );
        for (const lot of lots) {
          // Spendable points repay a debt before they expire (rules/debt.ts): as of the instant before this lot expired.
          if (debt > 0) {
            debt = await repayDebtFromMatured(manager, memberId, debt, new Date(lot.expires_at.getTime() - 1));
            const [{ remaining }] = await manager.query(`SELECT remaining FROM lots WHERE id = $1`, [lot.id]);
            lot.remaining = remaining;
            if (lot.remaining === 0) continue;
          }
          await postTransaction(manager, {
            kind: "EXPIRY",
            idempotencyKey: `expiry:lot:${lot.id}`,
            request: { lotId: lot.id, points: lot.remaining },
            partnerId: lot.partner_id,
            reference: null,
            occurredAt: lot.expires_at,
            // Breakage belongs to the period the run posts it in; the lot's price values it (rules/clearing.ts).
            postedAt: now,
            expiredLotId: lot.id,
            postings: [
              { account: { kind: "MEMBER", ownerId: memberId }, amount: -lot.remaining, entryKind: "EXPIRY" },
              { account: { kind: "PARTNER_BREAKAGE", ownerId: lot.partner_id }, amount: lot.remaining },
            ],
          });
          await manager.query(`UPDATE lots SET remaining = 0 WHERE id = $1`, [lot.id]);
          run.lots++;
          run.points += lot.remaining;
        }
        if (lots.length) run.members++;
      });
    }
  }
}
