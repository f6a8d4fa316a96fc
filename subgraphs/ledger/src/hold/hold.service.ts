import type { DataSource, EntityManager } from "typeorm";
import { intFromEnv } from "../../../../shared/src/config";
import { appError } from "../../../../shared/src/errors";
import { requireId, requireInt } from "../../../../shared/src/validation";
import type { Clock } from "../clock";
import { MAX_POINTS, postRedemption } from "./redemption-posting";
import { findMemberEntryOf } from "../entry/ledger-entry.loader";
import { addPartnerPoints } from "../balance/qualifying";
import type { LedgerEntry } from "../entry/ledger-entry.type";
import { addDebt, findIdempotent, lockMember, postTransaction } from "../journal/journal";
import { holdings, insertLots } from "../journal/lots";
import { requireWithinCap } from "../limits";
import { requireNotErased } from "../member-data/erased";
import { availablePoints, repayDebtFromSlices } from "../rules";
import { heldPointsSql } from "../sql/pending";
import { HoldStatus, type HoldInput, PointsHold } from "./hold.types";

/** The member's lifetime redeemed points (their per-partner totals), plus what their live holds will add when captured. */
async function redeemedAndHeld(manager: EntityManager, memberId: string, now: Date): Promise<number> {
  const [row] = await manager.query(
    `SELECT (SELECT coalesce(sum(redeemed), 0) FROM member_partner_points WHERE member_id = $1)
          + ${heldPointsSql("$1::uuid", "$2")} AS total`,
    [memberId, now],
  );
  return Number(row.total);
}

/** Test-only fault injection: `LEDGER_CRASH_AT=<step>` kills this process after committing that step, before answering. */
function crashPoint(step: "after-hold" | "after-capture") {
  if (process.env.LEDGER_CRASH_AT === step && process.env.NODE_ENV !== "production") process.kill(process.pid, "SIGKILL");
}

interface HoldRow {
  redemption_id: string;
  member_id: string;
  partner_id: string;
  points: number;
  status: HoldStatus;
  expires_at: Date;
  transaction_id: string | null;
}

/**
 * Two-phase redemption in the ledger: place a hold (points leave `available` at once), then capture it
 * (a REDEEM transaction) or release it. Each step is idempotent by redemption id and runs under the
 * member's lock; an expired hold counts as released and can no longer be captured.
 */
export class HoldService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly ttlSeconds = intFromEnv("HOLD_TTL_SECONDS", 300),
  ) {}

  async find(redemptionId: string): Promise<PointsHold | null> {
    const manager = this.dataSource.manager;
    const [row]: HoldRow[] = await manager.query(`SELECT * FROM holds WHERE redemption_id = $1`, [requireId(redemptionId, "redemptionId")]);
    return row ? this.toHold(manager, row) : null;
  }

  async place(input: HoldInput): Promise<PointsHold> {
    const hold = this.validate(input);
    const now = this.clock.now();
    const placed = await this.dataSource.transaction(async (manager) => {
      const member = await lockMember(manager, hold.memberId, now);
      const existing = await this.existing(manager, hold);
      if (existing) return this.toHold(manager, existing);
      await requireNotErased(manager, hold.memberId);
      const available = availablePoints(member.balance, await holdings(manager, hold.memberId, now));
      if (available < hold.points) {
        throw appError("INSUFFICIENT_POINTS", `The member has ${available} points available; ${hold.points} are needed`, { available, needed: hold.points });
      }
      // lifetimeRedeemed only grows by captures: capped here, counting live holds, so every capture fits (README, Ranges).
      requireWithinCap("lifetimeRedeemed", await redeemedAndHeld(manager, hold.memberId, now), hold.points);
      const rows = await manager.query(
        `INSERT INTO holds (redemption_id, member_id, partner_id, points, status, expires_at)
         VALUES ($1, $2, $3, $4, 'HELD', $5::timestamptz + make_interval(secs => $6)) RETURNING *`,
        [hold.redemptionId, hold.memberId, hold.partnerId, hold.points, now, this.ttlSeconds],
      );
      return this.toHold(manager, rows[0]);
    });
    crashPoint("after-hold");
    return placed;
  }

  async capture(redemptionId: string): Promise<PointsHold> {
    const id = requireId(redemptionId, "redemptionId");
    const now = this.clock.now();
    const captured = await this.dataSource.transaction(async (manager) => {
      const [found] = await manager.query(`SELECT member_id FROM holds WHERE redemption_id = $1`, [id]);
      if (!found) throw appError("NOT_FOUND", `No points hold for redemption ${id}`);
      const member = await lockMember(manager, found.member_id, now);
      const [row]: HoldRow[] = await manager.query(`SELECT * FROM holds WHERE redemption_id = $1 FOR UPDATE`, [id]);
      if (row.status === HoldStatus.CAPTURED) return this.toHold(manager, row);
      if (row.status === HoldStatus.RELEASED || row.expires_at <= now) {
        throw appError("HOLD_RELEASED", "The points hold for this redemption was released (or expired) before it was captured");
      }
      // The hold's own points are reserved for it: what else is held does not count against it.
      const available = availablePoints(member.balance, await holdings(manager, row.member_id, now)) + row.points;
      if (available < row.points) throw appError("INSUFFICIENT_POINTS", `The member has ${available} points available; ${row.points} are needed`);
      const transactionId = await postRedemption(manager, {
        memberId: row.member_id,
        partnerId: row.partner_id,
        points: row.points,
        idempotencyKey: `redemption:${id}`,
        reference: id,
        now,
      });
      await manager.query(`UPDATE holds SET status = 'CAPTURED', transaction_id = $2, updated_at = now() WHERE redemption_id = $1`, [id, transactionId]);
      return this.toHold(manager, { ...row, status: HoldStatus.CAPTURED, transaction_id: transactionId });
    });
    crashPoint("after-capture");
    return captured;
  }

  /**
   * Gives a captured redemption's points back (the redemption was cancelled): a REVERSAL from the
   * partner's redemption account, into lots with the expiry the points had. Once per redemption.
   */
  async refund(redemptionId: string): Promise<LedgerEntry> {
    const id = requireId(redemptionId, "redemptionId");
    const now = this.clock.now();
    const [found] = await this.dataSource.query(`SELECT member_id FROM holds WHERE redemption_id = $1`, [id]);
    if (!found) throw appError("NOT_FOUND", `No points hold for redemption ${id}`);
    const transactionId = await this.dataSource.transaction(async (manager) => {
      const member = await lockMember(manager, found.member_id, now);
      const [row]: HoldRow[] = await manager.query(`SELECT * FROM holds WHERE redemption_id = $1 FOR UPDATE`, [id]);
      if (row.status !== HoldStatus.CAPTURED) throw appError("CONFLICT", `Redemption ${id} was never completed, so there is nothing to give back`);
      // Given back already (the catalog lost the answer): the same entry, even if the member was erased since.
      const givenBack = await findIdempotent(manager, `cancellation:${id}`, { redemptionId: id });
      if (givenBack) return givenBack;
      // An erased member's points were forfeited: a cancellation gives nothing back to the id.
      await requireNotErased(manager, row.member_id);
      const posted = await postTransaction(manager, {
        kind: "REVERSAL",
        reversal: { reason: "REDEMPTION_CANCELLED", reversesTransactionId: row.transaction_id! },
        idempotencyKey: `cancellation:${id}`,
        request: { redemptionId: id },
        partnerId: row.partner_id,
        reference: id,
        occurredAt: now,
        postings: [
          { account: { kind: "MEMBER", ownerId: row.member_id }, amount: row.points, entryKind: "REVERSAL" },
          { account: { kind: "PARTNER_REDEMPTION", ownerId: row.partner_id }, amount: -row.points },
        ],
      });
      if (!posted.created) return posted.transactionId;
      // Points given back grow the balance: capped like any others; throwing here rolls the posting back.
      requireWithinCap("balance", member.balance, row.points);
      const takes: { lot_id: string; points: number; partner_id: string; expires_at: Date; issue_price_per_1000: string | null }[] = await manager.query(
        `SELECT t.lot_id, t.points, l.partner_id, l.expires_at, l.issue_price_per_1000 FROM lot_takes t JOIN lots l ON l.id = t.lot_id WHERE t.transaction_id = $1 ORDER BY l.id`,
        [row.transaction_id],
      );
      // Points given back are spendable at once: they repay what refunds left the member owing first (rules/debt.ts).
      // Those whose expiry passed while they were spent come back expired: not spendable, so they repay nothing.
      const spendableNow = takes.map((take) => (take.expires_at > now ? take.points : 0));
      const repayment = repayDebtFromSlices(member.debt, spendableNow);
      await addDebt(manager, row.member_id, repayment.debtLeft - member.debt);
      await insertLots(
        manager,
        takes.map((take, i) => ({
          transactionId: posted.transactionId,
          memberId: row.member_id,
          partnerId: take.partner_id,
          source: "RETURN" as const,
          points: take.points,
          // Expired points come back whole (the expiry run expires them); spendable ones less what repaid the debt.
          remaining: spendableNow[i] ? repayment.kept[i] : take.points,
          earnedAt: now,
          availableAt: now,
          expiresAt: take.expires_at,
          // Returned points keep the price they were charged at (sql/clearing.ts): none (0) for points
          // older than the clearing house, whose lot has no price (null would price it at today's terms).
          issuePricePer1000: take.issue_price_per_1000 === null ? 0 : Number(take.issue_price_per_1000),
          // The lot the redemption took them from: a refund of the purchase that made it follows them here (journal/take-back.ts).
          originLotId: String(take.lot_id),
        })),
      );
      await addPartnerPoints(manager, row.member_id, row.partner_id, { redeemed: -row.points });
      return posted.transactionId;
    });
    return findMemberEntryOf(this.dataSource.manager, transactionId, found.member_id);
  }

  /** Releases a hold; a release before its hold leaves a RELEASED row so the late hold is refused. A captured hold stays captured. */
  async release(input: HoldInput): Promise<PointsHold> {
    const hold = this.validate(input);
    const now = this.clock.now();
    return this.dataSource.transaction(async (manager) => {
      await lockMember(manager, hold.memberId, now);
      const existing = await this.existing(manager, hold);
      if (existing?.status === HoldStatus.CAPTURED) return this.toHold(manager, existing);
      const rows = await manager.query(
        `INSERT INTO holds (redemption_id, member_id, partner_id, points, status, expires_at) VALUES ($1, $2, $3, $4, 'RELEASED', now())
         ON CONFLICT (redemption_id) DO UPDATE SET status = 'RELEASED', updated_at = now() RETURNING *`,
        [hold.redemptionId, hold.memberId, hold.partnerId, hold.points],
      );
      return this.toHold(manager, rows[0]);
    });
  }

  private validate(input: HoldInput) {
    return {
      redemptionId: requireId(input.redemptionId, "redemptionId"),
      memberId: requireId(input.memberId, "memberId"),
      partnerId: requireId(input.partnerId, "partnerId"),
      points: requireInt(input.points, "points", { min: 1, max: MAX_POINTS }),
    };
  }

  /** The hold already recorded for this redemption, which must be for the same member, partner and points. */
  private async existing(manager: EntityManager, hold: ReturnType<HoldService["validate"]>): Promise<HoldRow | null> {
    const [row]: HoldRow[] = await manager.query(`SELECT * FROM holds WHERE redemption_id = $1 FOR UPDATE`, [hold.redemptionId]);
    if (!row) return null;
    if (row.member_id !== hold.memberId || row.partner_id !== hold.partnerId || row.points !== hold.points) {
      throw appError("IDEMPOTENCY_CONFLICT", `Redemption ${hold.redemptionId} already has a hold with different details`);
    }
    return row;
  }

  private async toHold(manager: EntityManager, row: HoldRow): Promise<PointsHold> {
    const expired = row.status === HoldStatus.HELD && row.expires_at <= this.clock.now();
    return Object.assign(new PointsHold(), {
      redemptionId: row.redemption_id,
      status: expired ? HoldStatus.RELEASED : row.status,
      points: row.points,
      expiresAt: row.expires_at,
      entry: row.transaction_id ? await findMemberEntryOf(manager, row.transaction_id, row.member_id) : null,
    });
  }
}
