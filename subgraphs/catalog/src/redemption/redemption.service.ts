import { randomUUID } from "node:crypto";
import { GraphQLError } from "graphql";
import { DataSource, In, IsNull, Repository } from "typeorm";
import { type AuditCaller, auditWrite } from "../../../../shared/src/audit/record-audit";
import { isUniqueViolation } from "../../../../shared/src/database";
import type { TierLevel } from "../../../../shared/src/enums";
import { type ErrorCode, appError, badInput, notFound } from "../../../../shared/src/errors";
import { SubgraphClient } from "../../../../shared/src/subgraph-client";
import { isUuid, requireId } from "../../../../shared/src/validation";
import { ELIGIBILITY, type MemberStanding, type Unmet, countedRedemptionsSql, firstUnmet } from "../reward/eligibility";
import { RewardRecord } from "../reward/reward.entity";
import type { RewardService } from "../reward/reward.service";
import { selectColumns } from "../sql";
import type { RedeemRewardInput } from "./redeem-reward.input";
import { RedemptionStatus } from "./redemption-status";
import { RedemptionRecord } from "./redemption.entity";
import { RedemptionSaga } from "./redemption-saga";
import { retryAction } from "./redemption-retry";
import { redemptionRecoveryAfterSeconds } from "../settings";
import { refuseIfErased } from "../member-data/erasure.service";

interface RedeemRequest {
  memberId: string;
  rewardId: string;
  idempotencyKey: string;
}

/** The codes of the eligibility list: refusals that write nothing. */
const ELIGIBILITY_CODES: ReadonlySet<string> = new Set(ELIGIBILITY.map((condition) => condition.code));

/** The error of the first eligibility condition that failed, if any. */
function refuseIfUnmet(unmet: Unmet | null): void {
  if (unmet) throw appError(unmet.code, unmet.message);
}

export class RedemptionService {
  private readonly redemptions: Repository<RedemptionRecord>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly rewards: RewardService,
    private readonly membersService = new SubgraphClient("members"),
    private readonly ledgerService = new SubgraphClient("ledger"),
    private readonly saga = new RedemptionSaga(dataSource, rewards, ledgerService),
    private readonly recoveryAfterSeconds = redemptionRecoveryAfterSeconds(),
  ) {
    this.redemptions = dataSource.getRepository(RedemptionRecord);
  }

  findByIds(ids: string[]): Promise<RedemptionRecord[]> {
    return this.redemptions.findBy({ id: In(ids) });
  }

  /**
   * Each member's newest `limit` redemptions (newest first), in one statement for all of them; `after`
   * (a redemption id of that member) continues right after it, compared in SQL (a JS Date would round
   * created_at's microseconds away).
   */
  async findRecent(memberIds: string[], limit: number, after: string | null = null): Promise<RedemptionRecord[]> {
    const wellFormed = [...new Set(memberIds.filter(isUuid).map((id) => id.toLowerCase()))];
    if (!wellFormed.length) return [];
    const rows: RedemptionRecord[] = await this.dataSource.query(
      `SELECT ${selectColumns(this.redemptions.metadata, "e")}
       FROM unnest($1::uuid[]) AS m(member_id)
       CROSS JOIN LATERAL (
         SELECT * FROM redemptions r WHERE r.member_id = m.member_id
           AND ($3::uuid IS NULL OR (r.created_at, r.id) < (SELECT c.created_at, c.id FROM redemptions c WHERE c.id = $3::uuid AND c.member_id = m.member_id))
         ORDER BY r.created_at DESC, r.id DESC
         LIMIT $2
       ) e
       ORDER BY e.member_id, e.created_at DESC, e.id DESC`,
      [wellFormed, limit, after],
    );
    return rows.map((row) => this.redemptions.create(row));
  }

  /**
   * Redeems a reward. The steps are kept apart on purpose: nothing is written until every check has
   * passed; then the saga holds and captures the points (see redemption-saga.ts). Eligibility is the
   * list of eligibility.ts, evaluated at one `now` (the request's), the same list `eligibleRewards` uses.
   */
  async redeem(input: RedeemRewardInput, now: Date = new Date(), caller: AuditCaller = { identity: { kind: "anonymous" } }): Promise<RedemptionRecord> {
    const request = this.validate(input);
    const earlier = await this.earlierToRedeemAgain(request, now);
    // The key's earlier redemption, when it is the answer (see redemption-retry.ts).
    if (earlier && !("superseding" in earlier)) return earlier;

    let reward: RewardRecord;
    let reservation: RedemptionRecord | null;
    try {
      reward = await this.findReward(request.rewardId);
      // The reward's own conditions (offered, dates, stock) first, before asking other services.
      refuseIfUnmet(firstUnmet(reward, null, now));
      await this.requireMember(request.memberId);
      const standing = await this.standingOf(request.memberId);
      reservation = await this.reserve(request, reward, standing, now, caller, earlier?.superseding);
    } catch (error) {
      // A refusal may come from this very key's redemption, committed by a parallel request after the
      // lookup above (its stock unit, its points, its count toward maxPerMember): answer as a retry would.
      const code = error instanceof GraphQLError ? error.extensions.code : undefined;
      if (typeof code === "string" && ELIGIBILITY_CODES.has(code)) {
        const taken = await this.findByKey(request);
        if (taken && taken.id !== earlier?.superseding.id) return this.replay(taken, request);
      }
      throw error;
    }
    // Someone else committed this key first: answer as a retry would.
    if (!reservation) return this.replay((await this.findByKey(request))!, request);

    return this.saga.settle(reservation, reward);
  }

  /**
   * Step 2 for a key used before: its redemption's answer (a RedemptionRecord; an error is thrown), or
   * `{ superseding }`, a redemption that failed for a transient reason, which this call redeems again.
   * A PENDING one whose saga should have finished long ago is settled first, as the sweep would.
   */
  private async earlierToRedeemAgain(request: RedeemRequest, now: Date): Promise<RedemptionRecord | { superseding: RedemptionRecord } | null> {
    let earlier = await this.findByKey(request);
    if (!earlier || earlier.rewardId !== request.rewardId) return earlier && this.replay(earlier, request);
    let action = retryAction(earlier, now, this.recoveryAfterSeconds);
    if (action === "settle-then-decide") {
      earlier = await this.saga.resolve(earlier, await this.findReward(earlier.rewardId), earlier.failureReason ?? "INTERRUPTED");
      action = retryAction(earlier, now, this.recoveryAfterSeconds);
    }
    return action === "redeem-again" ? { superseding: earlier } : this.replay(earlier, request);
  }

  /** Step 1: well-formed ids and key. Keys are compared exactly as sent (no trimming). */
  private validate(input: RedeemRewardInput): RedeemRequest {
    const key = input.idempotencyKey;
    if (!key.trim() || key.length > 200) throw badInput("idempotencyKey must be 1 to 200 characters, not only spaces", "idempotencyKey");
    return { memberId: requireId(input.memberId, "memberId"), rewardId: requireId(input.rewardId, "rewardId"), idempotencyKey: key };
  }

  /** Keys belong to the member who redeems: another member's equal key is another redemption. */
  private findByKey({ memberId, idempotencyKey }: RedeemRequest): Promise<RedemptionRecord | null> {
    return this.redemptions.findOneBy({ memberId, idempotencyKey, supersededBy: IsNull() });
  }

  /** A key this member used before returns its outcome, or its error (a business reason), never a second redemption. */
  private replay(earlier: RedemptionRecord, request: RedeemRequest): RedemptionRecord {
    if (earlier.rewardId !== request.rewardId) {
      throw appError(
        "IDEMPOTENCY_CONFLICT",
        `idempotencyKey "${request.idempotencyKey}" was already used for another reward; use a new key for a new redemption`,
        { field: "idempotencyKey" },
      );
    }
    if (earlier.status === RedemptionStatus.FAILED) {
      // The stored reason is the code the first attempt failed with (possibly one of another service).
      const code = (earlier.failureReason ?? "INTERNAL_SERVER_ERROR") as ErrorCode;
      throw appError(code, `This redemption already failed (${code}); retry with a new idempotencyKey once the cause is fixed`, {
        redemptionId: earlier.id,
      });
    }
    return earlier;
  }

  /** Step 3: the reward exists. */
  private async findReward(rewardId: string): Promise<RewardRecord> {
    const [reward] = await this.rewards.findByIds([rewardId]);
    if (!reward) throw notFound(`No reward with id "${rewardId}"`);
    return reward;
  }

  /** Step 4: the member exists (the members service owns them). */
  private async requireMember(memberId: string): Promise<void> {
    const [member] = await this.membersService.entities("Member", [memberId], "id");
    if (!member) throw notFound(`No member with id "${memberId}"`);
  }

  /** Step 5: tier and points, as the ledger sees them now. */
  private async standingOf(memberId: string): Promise<Omit<MemberStanding, "redeemed">> {
    const [standing] = await this.ledgerService.entities<{ tier: TierLevel; balance: { available: number } }>(
      "Member",
      [memberId],
      "tier balance { available }",
    );
    if (!standing) throw notFound(`No member with id "${memberId}"`);
    return { tier: standing.tier, available: standing.balance.available };
  }

  /**
   * Step 6: every eligibility condition, then the PENDING row and the stock unit, together or not at
   * all. Null when the key was taken meanwhile. The member's count toward `maxPerMember` is read under a
   * lock (one member's redemptions of one reward queue here), so parallel requests cannot pass the
   * limit together; the stock is taken by one guarded UPDATE, so they cannot pass it either.
   * `superseding`: the transiently FAILED redemption whose key this one takes over, marked in the same
   * transaction (only one of several parallel retries marks it; the others answer as a retry would).
   */
  private async reserve(
    request: RedeemRequest,
    reward: RewardRecord,
    standing: Omit<MemberStanding, "redeemed">,
    now: Date,
    caller: AuditCaller,
    superseding?: RedemptionRecord,
  ): Promise<RedemptionRecord | null> {
    const id = randomUUID();
    try {
      return await this.dataSource.transaction(async (manager) => {
        // The member may have been erased since step 4: the key would stay readable (refuseIfErased).
        await refuseIfErased(manager, request.memberId);
        if (superseding) {
          const marked = await manager.update(RedemptionRecord, { id: superseding.id, status: RedemptionStatus.FAILED, supersededBy: IsNull() }, { supersededBy: id });
          if (!marked.affected) return null;
        }
        if (reward.maxPerMember !== null) {
          await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`${request.memberId}:${reward.id}`]);
        }
        const [{ redeemed }] = await manager.query(`SELECT ${countedRedemptionsSql("$1", "$2")} AS redeemed`, [request.memberId, reward.id]);
        refuseIfUnmet(firstUnmet(reward, { ...standing, redeemed }, now));
        const redemption = await manager.save(
          manager.create(RedemptionRecord, {
            ...request,
            id,
            supersededBy: null,
            pointsSpent: reward.costPoints,
            status: RedemptionStatus.PENDING,
            voucherCode: null,
            failureReason: null,
            ledgerEntryId: null,
          }),
        );
        const stock = await this.rewards.takeStock(manager, reward.id);
        // Taken meanwhile by a parallel redemption: the list's answer for the stock as the guard found it.
        if (!stock.taken) refuseIfUnmet(firstUnmet({ ...reward, stock: 0 }, { ...standing, redeemed }, now));
        // The line records the redemption's start (an admin redeeming for a member); how it ended is its status.
        await auditWrite(manager, caller, { action: "REDEEM_REWARD", memberId: request.memberId, partnerId: reward.partnerId, targetId: redemption.id });
        return redemption;
      });
    } catch (error) {
      if (isUniqueViolation(error, "redemptions_member_idempotency_key_key")) return null;
      throw error;
    }
  }
}
