import type { DataSource, EntityManager } from "typeorm";
import { type AuditCaller, actorOf, recordAudit } from "../../../../shared/src/audit/record-audit";
import { badInput, notFound } from "../../../../shared/src/errors";
import type { SubgraphClient } from "../../../../shared/src/subgraph-client";
import { requireId, requireText } from "../../../../shared/src/validation";
import type { Clock } from "../clock";
import { findMemberEntryOf } from "../entry/ledger-entry.loader";
import type { LedgerEntry } from "../entry/ledger-entry.type";
import { lockBreakageBeforeIssuance, owe } from "../journal/expire-lots";
import { COALITION_OWNER_ID, addDebt, findIdempotent, lockMember, postTransaction } from "../journal/journal";
import { type TakenSlice, holdings, insertLots, takeOldest } from "../journal/lots";
import { requireNotErased } from "../member-data/erased";
import { memberDebtLimitExceeded, requireWithinCap } from "../limits";
import { adjustmentProblem, availablePoints, debitFloor, expiresAt, repayDebt, wouldPassFloor } from "../rules";
import { pointsExpiryMonths } from "../settings";
import type { AdjustPointsInput } from "./adjustment.types";

/** An adjustment's idempotency key, and the form it had before, where that form was ambiguous. */
export interface AdjustmentKeys {
  key: string;
  legacy: string | null;
}

/**
 * `adjustment:<actor>:<key>` where that is unambiguous: the actor (`admin:<subject>`) holds one `:`
 * only. An admin subject with a `:` is encoded after `~` (base64url of [actor, key]; no `admin:` follows
 * `adjustment:`, so it never equals a key of the first form): admin `a` with key `b:c` and admin `a:b`
 * with key `c` were one key, and the second admin's adjustment was refused (or replayed the first's).
 */
export function adjustmentKeys(actor: string, callerKey: string): AdjustmentKeys {
  const legacy = `adjustment:${actor}:${callerKey}`;
  if (actor.indexOf(":") === actor.lastIndexOf(":")) return { key: legacy, legacy: null };
  return { key: `adjustment:~${Buffer.from(JSON.stringify([actor, callerKey]), "utf8").toString("base64url")}`, legacy };
}

/** The adjustment these keys name: under its key, or under the legacy form only when this very admin made it. */
async function findAdjustment(manager: EntityManager, keys: AdjustmentKeys, request: unknown, actor: string): Promise<string | null> {
  const found = await findIdempotent(manager, keys.key, request);
  if (found || !keys.legacy) return found;
  const [row] = await manager.query(
    `SELECT t.id FROM transactions t JOIN adjustments a ON a.transaction_id = t.id WHERE t.idempotency_key = $1 AND a.made_by = $2`,
    [keys.legacy, actor],
  );
  return row ? findIdempotent(manager, keys.legacy, request) : null;
}

/**
 * Customer care adjustments: an ADJUSTMENT transaction between the member and the funder's issuance
 * account (the partner's PARTNER_ISSUANCE, or the coalition's COALITION_ISSUANCE), its reason, and its
 * audit line, in one database transaction.
 */
export class AdjustmentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly members: SubgraphClient,
    private readonly partners: SubgraphClient,
  ) {}

  async adjust(input: AdjustPointsInput, caller: AuditCaller): Promise<LedgerEntry> {
    const memberId = requireId(input.memberId, "memberId");
    const problem = adjustmentProblem({ points: input.points, reason: input.reason, note: input.note });
    if (problem) throw badInput(problem.message, problem.field);
    const note = input.note.trim();
    const fundedBy = input.fundedByPartnerId == null ? null : requireId(input.fundedByPartnerId, "fundedByPartnerId");
    const actor = actorOf(caller.identity);
    // The key is the calling admin's own: another admin's equal key is another adjustment.
    const keys = adjustmentKeys(actor, requireText(input.idempotencyKey, "idempotencyKey", { max: 200 }));
    const idempotencyKey = keys.key;
    const points = input.points;
    const request = { memberId, points, reason: input.reason, note, fundedBy };
    const now = this.clock.now();

    const replayed = await findAdjustment(this.dataSource.manager, keys, request, actor);
    if (replayed) return findMemberEntryOf(this.dataSource.manager, replayed, memberId);
    const [member] = await this.members.entities<{ id: string }>("Member", [memberId], "id");
    if (!member) throw notFound(`No member with id ${memberId}`);
    if (fundedBy) {
      const [partner] = await this.partners.entities<{ id: string }>("Partner", [fundedBy], "id");
      if (!partner) throw notFound(`No partner with id ${fundedBy}`);
    }

    return this.dataSource.transaction(async (tx) => {
      const locked = await lockMember(tx, memberId, now);
      const replayedUnderLock = await findAdjustment(tx, keys, request, actor);
      if (replayedUnderLock) return findMemberEntryOf(tx, replayedUnderLock, memberId);
      // Checked under the lock: an erasure that began (and forfeited) after the members service answered is seen here.
      await requireNotErased(tx, memberId);
      // A debit's points come from the member's lots (taken here, before its postings: their valuation reads what it took).
      let taken: TakenSlice[] = [];
      if (points > 0) requireWithinCap("balance", locked.balance, points);
      else {
        // A debit may expire the member's lots past expiry (owe): their breakage accounts before the funder's issuance account.
        await lockBreakageBeforeIssuance(tx, [memberId], now);
        await this.requireWithinFloor(tx, memberId, locked.balance, points, now);
        taken = await takeOldest(tx, memberId, -points, now);
      }
      const funder = fundedBy ? { kind: "PARTNER_ISSUANCE" as const, ownerId: fundedBy } : { kind: "COALITION_ISSUANCE" as const, ownerId: COALITION_OWNER_ID };
      const posted = await postTransaction(tx, {
        kind: "ADJUSTMENT",
        idempotencyKey,
        request,
        partnerId: fundedBy,
        reference: null,
        occurredAt: now,
        // Recorded with it: a negative adjustment a partner funds is credited at the prices these lots were charged (rules/clearing.ts TAKEN_LOTS_PRICE).
        lotTakes: taken.map((slice) => ({ lotId: slice.lotId, points: slice.taken })),
        postings: [
          { account: { kind: "MEMBER", ownerId: memberId }, amount: points, entryKind: "ADJUSTMENT" },
          { account: funder, amount: -points },
        ],
      });
      if (points > 0) await this.credit(tx, posted.transactionId, memberId, points, locked.debt, fundedBy, now);
      else await this.owe(tx, memberId, -points, taken, now);
      await tx.query(
        `INSERT INTO adjustments (transaction_id, member_id, reason, note, made_by, funded_by_partner_id) VALUES ($1, $2, $3, $4, $5, $6)`,
        [posted.transactionId, memberId, input.reason, note, actor, fundedBy],
      );
      const entry = await findMemberEntryOf(tx, posted.transactionId, memberId);
      await recordAudit(tx, { actor, action: "ADJUST_POINTS", memberId, partnerId: fundedBy, targetId: entry.id, requestId: caller.requestId });
      return entry;
    });
  }

  /**
   * Added points are spendable at once, so they repay a debt first (rules/debt.ts); the rest is a lot
   * like an earned one (expiring POINTS_EXPIRY_MONTHS later) issued by the funding partner, or by the
   * coalition (its nil-UUID owner id) when nobody else funds it.
   */
  private async credit(tx: EntityManager, transactionId: string, memberId: string, points: number, debt: number, fundedBy: string | null, now: Date) {
    const repayment = repayDebt(debt, points);
    await addDebt(tx, memberId, -repayment.repaid);
    await insertLots(tx, [
      {
        transactionId,
        memberId,
        partnerId: fundedBy ?? COALITION_OWNER_ID,
        source: "ADJUSTMENT",
        points,
        remaining: repayment.kept,
        earnedAt: now,
        availableAt: now,
        expiresAt: expiresAt(now, pointsExpiryMonths()),
      },
    ]);
  }

  /**
   * A debit lowers `available` by exactly its points (taken lots, then debt): refused when it would pass
   * below the debit floor (rules/cap.ts `wouldPassFloor`; README, Ranges). The caller holds the lock.
   */
  private async requireWithinFloor(tx: EntityManager, memberId: string, balance: number, points: number, now: Date) {
    const available = availablePoints(balance, await holdings(tx, memberId, now));
    // What later refunds may still take back: the lifetime earned points (net of refunds so far) and the
    // unrefunded part of the member's bonuses, which a refund takes back with their purchase (campaign/bonus-reversal.ts):
    // those purchases' own, and the referral bonuses paid for friends' purchases.
    const [{ refundable }] = await tx.query(
      `SELECT (SELECT coalesce(sum(earned), 0) FROM member_partner_points WHERE member_id = $1)
            + (SELECT coalesce(sum(b.points - b.reversed_points), 0) FROM campaign_bonuses b WHERE b.member_id = $1) AS refundable`,
      [memberId],
    );
    const wouldBe = wouldPassFloor(available, points, Number(refundable));
    if (wouldBe !== null) throw memberDebtLimitExceeded(wouldBe, debitFloor(Number(refundable)));
  }

  /** Taken points came from spendable lots nearest expiry first (takeOldest); what the member cannot cover is owed, as after a refund. */
  private async owe(tx: EntityManager, memberId: string, points: number, taken: readonly TakenSlice[], now: Date) {
    await owe(tx, memberId, points - taken.reduce((sum, slice) => sum + slice.taken, 0), now);
  }
}
