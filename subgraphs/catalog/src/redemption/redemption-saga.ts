import { GraphQLError } from "graphql";
import { DataSource, LessThan, Repository } from "typeorm";
import { appError, isDatabaseUnavailable } from "../../../../shared/src/errors";
import type { Logger } from "../../../../shared/src/logger";
import { SubgraphClient } from "../../../../shared/src/subgraph-client";
import { isUniqueViolation } from "../../../../shared/src/database";
import type { RewardRecord } from "../reward/reward.entity";
import type { RewardService } from "../reward/reward.service";
import { RedemptionStatus } from "./redemption-status";
import { RedemptionRecord } from "./redemption.entity";
import { newVoucherCode } from "./voucher-code";

// Internal ledger operations (@inaccessible there), idempotent by redemption id.
const PLACE_HOLD = `mutation($input: HoldInput!) { placeHold(input: $input) { status } }`;
const CAPTURE_HOLD = `mutation($id: ID!) { captureHold(redemptionId: $id) { status entry { id } } }`;
const RELEASE_HOLD = `mutation($input: HoldInput!) { releaseHold(input: $input) { status entry { id } } }`;

interface HoldResult {
  status: "HELD" | "CAPTURED" | "RELEASED";
  entry?: { id: string } | null;
}

/** Errors after which the ledger's state is unknown: the saga must ask before deciding. */
const UNKNOWN_OUTCOME = new Set(["UPSTREAM_UNAVAILABLE", "INTERNAL_SERVER_ERROR"]);

/** Test-only fault injection: `CATALOG_CRASH_AT=<step>` kills this process at that step (never in production). */
function crashPoint(step: "after-reserve" | "after-hold" | "after-capture") {
  if (process.env.CATALOG_CRASH_AT === step && process.env.NODE_ENV !== "production") process.kill(process.pid, "SIGKILL");
}

/**
 * The ledger half of a redemption, after the catalog has recorded it PENDING and taken the stock:
 * hold the points, capture them, then COMPLETED with a voucher. Whatever fails, a redemption ends in
 * exactly one outcome: resolving it releases the hold (which also blocks a late one), and a hold found
 * captured completes it instead; otherwise it is FAILED and the stock goes back.
 */
export class RedemptionSaga {
  private readonly redemptions: Repository<RedemptionRecord>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly rewards: RewardService,
    private readonly ledger = new SubgraphClient("ledger"),
  ) {
    this.redemptions = dataSource.getRepository(RedemptionRecord);
  }

  async settle(redemption: RedemptionRecord, reward: RewardRecord): Promise<RedemptionRecord> {
    crashPoint("after-reserve");
    try {
      const { placeHold } = await this.ledger.request<{ placeHold: HoldResult }>(PLACE_HOLD, { input: holdOf(redemption, reward) });
      if (placeHold.status === "RELEASED") throw appError("HOLD_RELEASED", "This redemption was cancelled while it was in progress");
      crashPoint("after-hold");
      const { captureHold } = await this.ledger.request<{ captureHold: HoldResult }>(CAPTURE_HOLD, { id: redemption.id });
      crashPoint("after-capture");
      return await this.complete(redemption, captureHold.entry!.id);
    } catch (error) {
      const code = errorCode(error);
      const resolved = await this.resolve(redemption, reward, code).catch(() => null);
      if (resolved?.status === RedemptionStatus.COMPLETED) return resolved;
      if (!resolved && UNKNOWN_OUTCOME.has(code)) {
        // The ledger cannot be asked now: the redemption stays PENDING and the recovery sweep settles it,
        // failing it (if it fails) with this reason.
        await this.redemptions.update({ id: redemption.id, status: RedemptionStatus.PENDING }, { failureReason: "UPSTREAM_UNAVAILABLE" });
        throw appError("UPSTREAM_UNAVAILABLE", "The points service did not answer; this redemption will be completed or refunded automatically", {
          redemptionId: redemption.id,
        });
      }
      throw error;
    }
  }

  /** Settles a PENDING redemption one way or the other, asking the ledger for the truth. */
  async resolve(redemption: RedemptionRecord, reward: RewardRecord, reason: string): Promise<RedemptionRecord> {
    const { releaseHold } = await this.ledger.request<{ releaseHold: HoldResult }>(RELEASE_HOLD, { input: holdOf(redemption, reward) });
    if (releaseHold.status === "CAPTURED") return this.complete(redemption, releaseHold.entry!.id);
    await this.fail(redemption, reason);
    return (await this.redemptions.findOneBy({ id: redemption.id }))!;
  }

  /** Settles every redemption left PENDING for longer than `olderThanSeconds` (a crash, a lost answer). */
  async recoverPending(olderThanSeconds: number, log: Logger): Promise<number> {
    const stale = await this.redemptions.find({
      where: { status: RedemptionStatus.PENDING, updatedAt: LessThan(new Date(Date.now() - olderThanSeconds * 1000)) },
      order: { createdAt: "ASC" },
      take: 500,
    });
    for (const redemption of stale) {
      const [reward] = await this.rewards.findByIds([redemption.rewardId]);
      try {
        const settled = await this.resolve(redemption, reward, redemption.failureReason ?? "INTERRUPTED");
        log.info("recovered redemption", { redemptionId: redemption.id, status: settled.status });
      } catch (error) {
        log.warn("could not recover redemption yet", { redemptionId: redemption.id, error: (error as Error).message });
      }
    }
    return stale.length;
  }

  /** COMPLETED with the ledger entry and a fresh voucher code (only from PENDING: a second call changes nothing). */
  private async complete(redemption: RedemptionRecord, ledgerEntryId: string): Promise<RedemptionRecord> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.redemptions.update(
          { id: redemption.id, status: RedemptionStatus.PENDING },
          // The saga's note of why it could not finish (kept for the sweep while PENDING) goes: it did.
          { status: RedemptionStatus.COMPLETED, ledgerEntryId, voucherCode: newVoucherCode(), failureReason: null },
        );
        return (await this.redemptions.findOneBy({ id: redemption.id }))!;
      } catch (error) {
        // 120 random bits make a clash all but impossible; the UNIQUE constraint is the guarantee.
        if (attempt < 3 && isUniqueViolation(error, "redemptions_voucher_code_key")) continue;
        throw error;
      }
    }
  }

  /** FAILED with the reason, and the stock unit back, together; only the call that moves it out of PENDING returns stock. */
  private async fail(redemption: RedemptionRecord, reason: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const result = await manager.update(
        RedemptionRecord,
        { id: redemption.id, status: RedemptionStatus.PENDING },
        { status: RedemptionStatus.FAILED, failureReason: reason },
      );
      if (result.affected) await this.rewards.returnStock(manager, redemption.rewardId);
    });
  }
}

function holdOf(redemption: RedemptionRecord, reward: RewardRecord) {
  return { redemptionId: redemption.id, memberId: redemption.memberId, partnerId: reward.partnerId, points: redemption.pointsSpent };
}

/** The code of an error from another service; our own database busy or away is UPSTREAM_UNAVAILABLE; anything else is an unexpected failure. */
function errorCode(error: unknown): string {
  if (isDatabaseUnavailable(error)) return "UPSTREAM_UNAVAILABLE";
  const code = error instanceof GraphQLError ? error.extensions.code : undefined;
  return typeof code === "string" ? code : "INTERNAL_SERVER_ERROR";
}
