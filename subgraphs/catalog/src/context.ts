import type { IncomingMessage } from "node:http";
import type { DataSource } from "typeorm";
import { readAuditRows } from "../../../shared/src/audit/audit-page";
import type { Identity } from "../../../shared/src/auth/proof";
import { requestIdOf } from "../../../shared/src/request-id";
import { SubgraphClient } from "../../../shared/src/subgraph-client";
import { createMemberRedemptionsLoader, createRedemptionLoader } from "./redemption/redemption.loader";
import { CancellationService } from "./redemption/cancellation.service";
import { RedemptionService } from "./redemption/redemption.service";
import { createEligibleRewardsLoader, createPartnerRewardsLoader, createRewardLoader } from "./reward/reward.loader";
import { RewardService } from "./reward/reward.service";

/**
 * Per request: services and fresh DataLoaders, so batching never leaks data between requests. Calls
 * to other services carry the request's id.
 */
export function createContext(dataSource: DataSource, req?: IncomingMessage, identity: Identity = { kind: "anonymous" }) {
  const requestId = requestIdOf(req);
  // The request's one clock: eligibility (the list and redemption) is evaluated at this instant.
  const now = new Date();
  const ledger = new SubgraphClient("ledger", requestId);
  const rewards = new RewardService(dataSource, new SubgraphClient("partners", requestId));
  const redemptions = new RedemptionService(dataSource, rewards, new SubgraphClient("members", requestId), ledger);
  return {
    identity,
    requestId,
    auditRows: (filter: Parameters<typeof readAuditRows>[2], after: Parameters<typeof readAuditRows>[3], limit: number) => readAuditRows(dataSource.manager, "catalog", filter, after, limit),
    dataSource,
    now,
    rewards,
    redemptions,
    cancellations: new CancellationService(dataSource, rewards, ledger),
    loaders: {
      reward: createRewardLoader(rewards),
      partnerRewards: createPartnerRewardsLoader(rewards),
      eligibleRewards: createEligibleRewardsLoader(rewards, now),
      redemption: createRedemptionLoader(redemptions),
      memberRedemptions: createMemberRedemptionsLoader(redemptions),
    },
  };
}
export type Context = ReturnType<typeof createContext>;
