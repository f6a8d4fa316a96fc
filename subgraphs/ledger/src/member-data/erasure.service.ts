import type { DataSource, EntityManager } from "typeorm";
import { appError } from "../../../../shared/src/errors";
import { requireId } from "../../../../shared/src/validation";
import type { Clock } from "../clock";
import { type NewTransaction, lockMember, postNewTransactions } from "../journal/journal";
import { ERASED_ADJUSTMENT_NOTE, ERASURE_ADJUSTMENT_REASON, type LotForfeit, erasureForfeit, lotForfeitKey } from "../rules";

/** Test-only fault injection: `LEDGER_CRASH_AT=after-forfeit` kills this process after committing the forfeit, before answering. */
function crashPoint(step: "after-forfeit") {
  if (process.env.LEDGER_CRASH_AT === step && process.env.NODE_ENV !== "production") process.kill(process.pid, "SIGKILL");
}

/** The ledger's step of an erasure (the members service runs the saga). */
export class ErasureService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /**
   * Forfeits everything the member's lots hold (rules/erasure.ts), one ADJUSTMENT per lot to its
   * issuer's breakage (the lot named on the transaction, so the clearing house values it as breakage),
   * releases holds still in flight (their redemptions fail and return the stock; a capture can no
   * longer take points), marks the id erased and replaces the notes of its adjustments (free text about the
   * person: rules/erasure.ts ERASED_ADJUSTMENT_NOTE), all under the member's lock in one transaction. Once
   * per member: asking again changes nothing. Amounts stay under the member id; the ledger never held a name.
   */
  async forfeit(memberId: string): Promise<void> {
    const id = requireId(memberId, "memberId");
    const now = this.clock.now();
    await this.dataSource.transaction(async (manager) => {
      await lockMember(manager, id, now);
      if (await isErased(manager, id)) return;
      await manager.query(`UPDATE holds SET status = 'RELEASED', updated_at = now() WHERE member_id = $1 AND status = 'HELD'`, [id]);
      const lots: { id: string; partner_id: string; remaining: number }[] = await manager.query(
        `SELECT id, partner_id, remaining FROM lots WHERE member_id = $1 AND remaining > 0 ORDER BY id FOR UPDATE`,
        [id],
      );
      const forfeit = erasureForfeit(lots.map((lot) => ({ lotId: lot.id, partnerId: lot.partner_id, remaining: lot.remaining })));
      // The lots' ADJUSTMENTs a few thousand to a statement (journal.ts postNewTransactions), never one by one: the
      // clearing lock the first takes is held to the commit. Chunks keep each statement far from statement_timeout.
      for (let from = 0; from < forfeit.lots.length; from += FORFEITS_PER_STATEMENT) {
        await postNewTransactions(manager, forfeitTransactions(id, forfeit.lots.slice(from, from + FORFEITS_PER_STATEMENT), now));
      }
      if (forfeit.lots.length) await manager.query(`UPDATE lots SET remaining = 0 WHERE member_id = $1 AND remaining > 0`, [id]);
      await recordErasureAdjustment(manager, id, forfeit.total, now);
      // The notes customer care wrote about the person go too (rules/erasure.ts); the trigger admits this once the id is erased, above.
      await manager.query(`UPDATE adjustments SET note = $2 WHERE member_id = $1 AND note <> $2`, [id, ERASED_ADJUSTMENT_NOTE]);
    });
    crashPoint("after-forfeit");
  }
}

/** About 0.4 s of database time a statement (measured: 100,000 lots in 8.7 s). */
const FORFEITS_PER_STATEMENT = 5_000;

/** One ADJUSTMENT per lot, naming it (so the clearing house values it as breakage), to the lot's issuer's breakage account. */
const forfeitTransactions = (memberId: string, lots: readonly LotForfeit[], now: Date): NewTransaction[] =>
  lots.map((lot) => ({
    kind: "ADJUSTMENT",
    idempotencyKey: lotForfeitKey(memberId, lot.lotId),
    request: { memberId, lotId: lot.lotId, points: lot.points, reason: ERASURE_ADJUSTMENT_REASON },
    partnerId: null,
    reference: null,
    occurredAt: now,
    expiredLotId: lot.lotId,
    postings: [
      { account: { kind: "MEMBER", ownerId: memberId }, amount: -lot.points, entryKind: "ADJUSTMENT" },
      { account: { kind: "PARTNER_BREAKAGE", ownerId: lot.partnerId }, amount: lot.points },
    ],
  }));

/**
 * The reason of the erasure's ADJUSTMENTs, the points they forfeited, and the mark that the id is
 * erased: one small function, so the row can move to the ledger's general adjustment-reason record
 * when there is one. `transaction_id` is left empty: the forfeit is one transaction per lot (keys
 * `erasure:<member>:lot:<lot>`); the erasures before ErasureForfeitsAsBreakage1734830000000 name their one.
 */
async function recordErasureAdjustment(manager: EntityManager, memberId: string, points: number, at: Date): Promise<void> {
  await manager.query(
    `INSERT INTO member_erasures (member_id, transaction_id, adjustment_reason, forfeited_points, erased_at) VALUES ($1, NULL, $2, $3, $4)`,
    [memberId, ERASURE_ADJUSTMENT_REASON, points, at],
  );
}

export async function isErased(manager: EntityManager, memberId: string): Promise<boolean> {
  const [row] = await manager.query(`SELECT 1 FROM member_erasures WHERE member_id = $1`, [memberId]);
  return Boolean(row);
}

/** Points never arrive for an erased member (a hold, a cancelled redemption's refund, a transfer): the caller holds the member's lock. */
export async function requireNotErased(manager: EntityManager, memberId: string): Promise<void> {
  if (await isErased(manager, memberId)) throw appError("NOT_FOUND", `No member with id ${memberId}`);
}
