import { GraphQLError } from "graphql";
import { DataSource, type EntityManager, IsNull, LessThan, Not, Repository } from "typeorm";
import { type AuditCaller, actorOf, auditWrite, isAuditedCaller, recordAudit } from "../../../../shared/src/audit/record-audit";
import { ALLOWED, denyFor, isAdmin, requireSignedIn } from "../../../../shared/src/auth/policy";
import type { Identity } from "../../../../shared/src/auth/proof";
import { appError, conflict, notFound } from "../../../../shared/src/errors";
import type { Logger } from "../../../../shared/src/logger";
import { SubgraphClient } from "../../../../shared/src/subgraph-client";
import { requireId, requireText } from "../../../../shared/src/validation";
import { RewardRecord } from "../reward/reward.entity";
import type { RewardService } from "../reward/reward.service";
import { RedemptionStatus } from "./redemption-status";
import { RedemptionRecord } from "./redemption.entity";
import { withinCancelWindow } from "../rules/cancellation";
import { redemptionCancelWindowHours } from "../settings";

const REFUND_REDEMPTION = `mutation($id: ID!) { refundRedemption(redemptionId: $id) { id } }`;

/**
 * What happens to a voucher after it is issued: the partner marks it used, or the redemption is
 * cancelled within the window and the points and stock go back. A cancellation is claimed first (the
 * voucher is blocked from then on), then the ledger gives the points back, then it is CANCELLED; a
 * crash in between is finished by the recovery sweep.
 */
export class CancellationService {
  private readonly redemptions: Repository<RedemptionRecord>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly rewards: RewardService,
    private readonly ledger = new SubgraphClient("ledger"),
    private readonly windowHours = redemptionCancelWindowHours(),
    private readonly members = new SubgraphClient("members"),
  ) {
    this.redemptions = dataSource.getRepository(RedemptionRecord);
  }

  /** The member who redeemed (or an admin) cancels; to anyone else a redemption that is not theirs reads as forbidden, like one that does not exist. */
  async cancel(redemptionId: string, identity: Identity, requestId?: string): Promise<RedemptionRecord> {
    const id = requireId(redemptionId, "id");
    requireSignedIn(identity);
    const found = await this.redemptions.findOneBy({ id });
    if (found && isAdmin(identity) && found.status === RedemptionStatus.COMPLETED && !found.cancelRequestedAt) await this.requireMemberNotErased(found);
    for (;;) {
      const claimed = await this.dataSource.transaction(async (manager) => {
        const row = await manager.findOne(RedemptionRecord, { where: { id }, lock: { mode: "pessimistic_write" } });
        if (!isAdmin(identity) && (identity.kind !== "member" || row?.memberId !== identity.memberId)) throw denyFor(identity, ALLOWED.self);
        if (!row) throw notFound(`No redemption with id ${id}`);
        if (row.status === RedemptionStatus.CANCELLED || row.cancelRequestedAt) return row;
        if (row.status !== RedemptionStatus.COMPLETED) throw conflict(`Only completed redemptions can be cancelled; this one is ${row.status}`);
        if (row.voucherUsedAt) throw conflict("The voucher was already used; the redemption can no longer be cancelled");
        if (!withinCancelWindow(row.createdAt, new Date(), this.windowHours)) {
          throw conflict(`Redemptions can be cancelled within ${this.windowHours} hours; this one is older`);
        }
        row.cancelRequestedAt = new Date();
        // Its CANCEL_REDEMPTION line is written when it completes (finish): a claim the ledger refuses is dropped, and did not happen.
        row.cancelRequestedBy = isAuditedCaller(identity) ? actorOf(identity) : null;
        row.cancelRequestId = requestId ?? null;
        return manager.save(row);
      });
      if (claimed.status === RedemptionStatus.CANCELLED) return claimed;
      const finished = await this.finish(claimed);
      // Null: the claim seen was dropped by another finisher meanwhile (the ledger refused it); this request asks afresh.
      if (finished) return finished;
    }
  }

  /**
   * An erased member's points were forfeited and the ledger gives nothing back to the id: their
   * redemptions are not cancelled (the voucher they paid for stays valid). Asked before the claim, so
   * the voucher is not blocked by a cancellation that could never finish.
   */
  private async requireMemberNotErased(row: RedemptionRecord): Promise<void> {
    const [member] = await this.members.entities<{ id: string }>("Member", [row.memberId], "id");
    if (!member) throw conflict("The member who redeemed this was erased; the redemption can no longer be cancelled");
  }

  /**
   * The partner redeemed the voucher at its till: it can no longer be cancelled. Marking it twice is
   * harmless. The offering partner's app (or an admin); another partner's voucher reads as unknown.
   * Everything inside the transaction goes through its manager: a second pooled connection taken
   * while this one holds the row lock is how parallel calls once hung the service for good.
   */
  async markUsed(code: string, identity: Identity, requestId?: string): Promise<RedemptionRecord> {
    const voucherCode = requireText(code, "code", { max: 64 }).toUpperCase();
    if (!isAdmin(identity) && identity.kind !== "partner") throw denyFor(identity, ALLOWED.partnerApps);
    return this.dataSource.transaction(async (manager) => {
      const row = await manager.findOne(RedemptionRecord, { where: { voucherCode }, lock: { mode: "pessimistic_write" } });
      const reward = row ? await manager.findOneBy(RewardRecord, { id: row.rewardId }) : null;
      if (!row || (identity.kind === "partner" && reward?.partnerId !== identity.partnerId)) throw notFound("No voucher with this code");
      if (row.voucherUsedAt) return row;
      if (row.status !== RedemptionStatus.COMPLETED || row.cancelRequestedAt) throw conflict("This voucher was cancelled and cannot be used");
      row.voucherUsedAt = new Date();
      await auditWrite(manager, { identity, requestId }, { action: "MARK_VOUCHER_USED", memberId: row.memberId, partnerId: reward?.partnerId ?? null, targetId: row.id });
      return manager.save(row);
    });
  }

  /** Cancellations claimed but not finished (a crash, an unreachable ledger) for longer than `olderThanSeconds`. */
  async finishInterrupted(olderThanSeconds: number, log: Logger): Promise<void> {
    const stuck = await this.redemptions.find({
      where: { status: RedemptionStatus.COMPLETED, cancelRequestedAt: Not(IsNull()), updatedAt: LessThan(new Date(Date.now() - olderThanSeconds * 1000)) },
      take: 500,
    });
    for (const row of stuck) {
      await this.finish(row).catch((error) => log.warn("could not finish cancellation yet", { redemptionId: row.id, error: (error as Error).message }));
    }
  }

  /** The claim given up (nothing was given back): the redemption stays COMPLETED and its voucher valid. */
  private async dropClaim(manager: EntityManager, row: RedemptionRecord): Promise<void> {
    await manager.update(RedemptionRecord, { id: row.id, status: RedemptionStatus.COMPLETED }, { cancelRequestedAt: null, cancelRequestedBy: null, cancelRequestId: null });
  }

  /**
   * Gives the points back and marks the redemption CANCELLED, or drops the claim when the ledger refuses
   * it; null when the claim is no longer there (another finisher dropped it). The ledger is asked under
   * the redemption's row lock, the claim read again under it: a finisher holding an older read of the
   * claim (a parallel request, the sweep) asked after another had seen it refused for the member cap and
   * dropped it, and once the balance had fallen its refund went through: the points came back for a
   * voucher used meanwhile, and the redemption became CANCELLED with it used.
   */
  private async finish(claim: RedemptionRecord): Promise<RedemptionRecord | null> {
    let refusal: GraphQLError | null = null;
    const finished = await this.dataSource.transaction(async (manager) => {
      const row = await manager.findOne(RedemptionRecord, { where: { id: claim.id }, lock: { mode: "pessimistic_write" } });
      if (row?.status === RedemptionStatus.CANCELLED) return row;
      if (!row || row.status !== RedemptionStatus.COMPLETED || !row.cancelRequestedAt) return null;
      const failure = await this.ledger.request(REFUND_REDEMPTION, { id: row.id }).then(
        () => null,
        (error: unknown) => error,
      );
      if (failure) {
        const code = failure instanceof GraphQLError ? failure.extensions.code : undefined;
        if (code === "NOT_FOUND") {
          // The member was erased after the claim and nothing was given back: it never will be (their points were forfeited).
          // As when the erasure is seen before the claim: not cancelled, and the voucher they paid for stays valid.
          await this.dropClaim(manager, row);
          refusal = conflict("The member who redeemed this was erased; the redemption can no longer be cancelled");
        } else if (code === "LIMIT_EXCEEDED") {
          // Refused for a reason the ledger names (the points would take the balance past the member cap):
          // nothing was given back. The claim is dropped, so the voucher the member paid for stays valid,
          // and the refusal is the answer (not "it will complete").
          await this.dropClaim(manager, row);
          refusal = failure as GraphQLError;
        } else {
          refusal = appError("UPSTREAM_UNAVAILABLE", `The points could not be given back yet (${(failure as Error).message}); the cancellation will complete automatically`, {
            redemptionId: row.id,
          });
        }
        return row;
      }
      await manager.update(RedemptionRecord, { id: row.id, status: RedemptionStatus.COMPLETED }, { status: RedemptionStatus.CANCELLED });
      await this.rewards.returnStock(manager, row.rewardId);
      // The cancellation happened: its line, naming who claimed it and in which request, with the change.
      if (row.cancelRequestedBy) {
        await recordAudit(manager, { actor: row.cancelRequestedBy, action: "CANCEL_REDEMPTION", memberId: row.memberId, targetId: row.id, requestId: row.cancelRequestId });
      }
      return manager.findOneBy(RedemptionRecord, { id: row.id });
    });
    // Thrown once the drop has committed.
    if (refusal) throw refusal;
    return finished;
  }
}
