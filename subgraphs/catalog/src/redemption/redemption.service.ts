import { GraphQLError } from "graphql";
import { DataSource, In, Repository } from "typeorm";
import { isUniqueViolation } from "../../../../shared/src/database";
import { TierLevel, tierRank } from "../../../../shared/src/enums";
import { type ErrorCode, appError, badInput, notFound } from "../../../../shared/src/errors";
import { SubgraphClient } from "../../../../shared/src/subgraph-client";
import { isUuid, requireId } from "../../../../shared/src/validation";
import { RewardRecord } from "../reward/reward.entity";
import type { RewardService } from "../reward/reward.service";
import { selectColumns } from "../sql";
import type { RedeemRewardInput } from "./redeem-reward.input";
import { RedemptionStatus } from "./redemption-status";
import { RedemptionRecord } from "./redemption.entity";
import { newVoucherCode } from "./voucher-code";

/** Internal ledger mutation (@inaccessible there): debits the points and returns the REDEEM entry. */
const DEBIT_POINTS = `mutation($input: DebitPointsInput!) { debitPoints(input: $input) { id points } }`;

interface RedeemRequest {
  memberId: string;
  rewardId: string;
  idempotencyKey: string;
}

/** A PENDING redemption and whether it took a unit of limited stock (to give back if it fails). */
interface Reservation {
  redemption: RedemptionRecord;
  stockTaken: boolean;
}

export class RedemptionService {
  private readonly redemptions: Repository<RedemptionRecord>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly rewards: RewardService,
    private readonly membersService = new SubgraphClient("members"),
    private readonly ledgerService = new SubgraphClient("ledger"),
  ) {
    this.redemptions = dataSource.getRepository(RedemptionRecord);
  }

  findByIds(ids: string[]): Promise<RedemptionRecord[]> {
    return this.redemptions.findBy({ id: In(ids) });
  }

  /** Each member's newest `limit` redemptions (newest first), in one statement for all of them. */
  async findRecent(memberIds: string[], limit: number): Promise<RedemptionRecord[]> {
    const wellFormed = [...new Set(memberIds.filter(isUuid).map((id) => id.toLowerCase()))];
    if (!wellFormed.length) return [];
    const rows: RedemptionRecord[] = await this.dataSource.query(
      `SELECT ${selectColumns(this.redemptions.metadata, "e")}
       FROM unnest($1::uuid[]) AS m(member_id)
       CROSS JOIN LATERAL (
         SELECT * FROM redemptions r WHERE r.member_id = m.member_id
         ORDER BY r.created_at DESC, r.id DESC
         LIMIT $2
       ) e
       ORDER BY e.member_id, e.created_at DESC, e.id DESC`,
      [wellFormed, limit],
    );
    return rows.map((row) => this.redemptions.create(row));
  }

  /**
   * Redeems a reward. The steps are kept apart on purpose: nothing is written until every check has
   * passed, and a failed debit is recorded so that retries with the same key get the same answer.
   */
  async redeem(input: RedeemRewardInput): Promise<RedemptionRecord> {
    const request = this.validate(input);
    const earlier = await this.findByKey(request.idempotencyKey);
    if (earlier) return this.replay(earlier, request);

    const reward = await this.redeemableReward(request.rewardId);
    await this.requireMember(request.memberId);
    await this.requireStanding(request.memberId, reward);

    const reservation = await this.reserve(request, reward);
    // Someone else committed this key first: answer as a retry would.
    if (!reservation) return this.replay((await this.findByKey(request.idempotencyKey))!, request);

    const ledgerEntryId = await this.debit(reservation, reward);
    return this.complete(reservation.redemption, ledgerEntryId);
  }

  /** Step 1: well-formed ids and key. Keys are compared exactly as sent (no trimming). */
  private validate(input: RedeemRewardInput): RedeemRequest {
    const key = input.idempotencyKey;
    if (!key.trim() || key.length > 200) throw badInput("idempotencyKey must be 1 to 200 characters, not only spaces", "idempotencyKey");
    return { memberId: requireId(input.memberId, "memberId"), rewardId: requireId(input.rewardId, "rewardId"), idempotencyKey: key };
  }

  private findByKey(idempotencyKey: string): Promise<RedemptionRecord | null> {
    return this.redemptions.findOneBy({ idempotencyKey });
  }

  /** Step 2: a key seen before returns its first outcome, or its first error, never a second redemption. */
  private replay(earlier: RedemptionRecord, request: RedeemRequest): RedemptionRecord {
    if (earlier.memberId !== request.memberId || earlier.rewardId !== request.rewardId) {
      throw appError(
        "IDEMPOTENCY_CONFLICT",
        `idempotencyKey "${request.idempotencyKey}" was already used for another member or reward; use a new key for a new redemption`,
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

  /** Step 3: the reward exists and can be redeemed now. */
  private async redeemableReward(rewardId: string): Promise<RewardRecord> {
    const [reward] = await this.rewards.findByIds([rewardId]);
    if (!reward) throw notFound(`No reward with id "${rewardId}"`);
    const now = new Date();
    if (!reward.active) throw appError("NOT_ELIGIBLE", "This reward is not currently offered");
    if (reward.validFrom && reward.validFrom > now) {
      throw appError("NOT_ELIGIBLE", `This reward can be redeemed from ${reward.validFrom.toISOString()}`);
    }
    if (reward.validUntil && reward.validUntil < now) {
      throw appError("NOT_ELIGIBLE", `This reward could be redeemed until ${reward.validUntil.toISOString()}`);
    }
    if (reward.stock === 0) throw appError("OUT_OF_STOCK", "This reward is out of stock");
    return reward;
  }

  /** Step 4: the member exists (the members service owns them). */
  private async requireMember(memberId: string): Promise<void> {
    const [member] = await this.membersService.entities("Member", [memberId], "id");
    if (!member) throw notFound(`No member with id "${memberId}"`);
  }

  /** Step 5: tier and points, as the ledger sees them now. */
  private async requireStanding(memberId: string, reward: RewardRecord): Promise<void> {
    const [standing] = await this.ledgerService.entities<{ tier: TierLevel; balance: { available: number } }>(
      "Member",
      [memberId],
      "tier balance { available }",
    );
    if (!standing) throw notFound(`No member with id "${memberId}"`);
    if (tierRank(standing.tier) < tierRank(reward.minimumTier)) {
      throw appError("NOT_ELIGIBLE", `This reward needs tier ${reward.minimumTier} or above; the member is ${standing.tier}`);
    }
    if (standing.balance.available < reward.costPoints) {
      throw appError(
        "INSUFFICIENT_POINTS",
        `This reward costs ${reward.costPoints} points; the member has ${standing.balance.available} available`,
      );
    }
  }

  /** Step 6: the PENDING row and the stock unit, together or not at all. Null when the key was taken meanwhile. */
  private async reserve(request: RedeemRequest, reward: RewardRecord): Promise<Reservation | null> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const redemption = await manager.save(
          manager.create(RedemptionRecord, {
            ...request,
            pointsSpent: reward.costPoints,
            status: RedemptionStatus.PENDING,
            voucherCode: null,
            failureReason: null,
            ledgerEntryId: null,
          }),
        );
        const stock = await this.rewards.takeStock(manager, reward.id);
        if (!stock.taken) throw appError("OUT_OF_STOCK", "This reward is out of stock");
        return { redemption, stockTaken: stock.limited };
      });
    } catch (error) {
      if (isUniqueViolation(error, "redemptions_idempotency_key_key")) return null;
      throw error;
    }
  }

  /** Step 7: debit the ledger, idempotently per redemption. On failure the redemption is marked FAILED first. */
  private async debit({ redemption, stockTaken }: Reservation, reward: RewardRecord): Promise<string> {
    try {
      const { debitPoints } = await this.ledgerService.request<{ debitPoints: { id: string; points: number } }>(DEBIT_POINTS, {
        input: {
          memberId: redemption.memberId,
          partnerId: reward.partnerId,
          points: reward.costPoints,
          idempotencyKey: `redemption:${redemption.id}`,
          reference: redemption.id,
        },
      });
      return debitPoints.id;
    } catch (error) {
      await this.fail(redemption, stockTaken, errorCode(error));
      throw error;
    }
  }

  /** Step 8 (success): COMPLETED with the ledger entry and a fresh voucher code. */
  private async complete(redemption: RedemptionRecord, ledgerEntryId: string): Promise<RedemptionRecord> {
    for (let attempt = 1; ; attempt++) {
      const voucherCode = newVoucherCode();
      try {
        await this.redemptions.update(
          { id: redemption.id, status: RedemptionStatus.PENDING },
          { status: RedemptionStatus.COMPLETED, ledgerEntryId, voucherCode },
        );
        return (await this.redemptions.findOneBy({ id: redemption.id }))!;
      } catch (error) {
        // 120 random bits make a clash all but impossible; the UNIQUE constraint is the guarantee.
        if (attempt < 3 && isUniqueViolation(error, "redemptions_voucher_code_key")) continue;
        throw error;
      }
    }
  }

  /** Step 8 (failure): FAILED with the error code, and the stock unit back, in one transaction. */
  private async fail(redemption: RedemptionRecord, stockTaken: boolean, code: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.update(
        RedemptionRecord,
        { id: redemption.id, status: RedemptionStatus.PENDING },
        { status: RedemptionStatus.FAILED, failureReason: code },
      );
      if (stockTaken) await this.rewards.returnStock(manager, redemption.rewardId);
    });
  }
}

/** The code of an error from another service; anything else is an unexpected failure. */
function errorCode(error: unknown): string {
  const code = error instanceof GraphQLError ? error.extensions.code : undefined;
  return typeof code === "string" ? code : "INTERNAL_SERVER_ERROR";
}
