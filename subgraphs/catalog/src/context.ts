import type { DataSource } from "typeorm";
import type { Identity } from "../../../shared/src/auth/proof";
import { createMemberRedemptionsLoader, createRedemptionLoader } from "./redemption/redemption.loader";
import { CancellationService } from "./redemption/cancellation.service";
import { RedemptionService } from "./redemption/redemption.service";
import { createEligibleRewardsLoader, createPartnerRewardsLoader, createRewardLoader } from "./reward/reward.loader";
import { RewardService } from "./reward/reward.service";

/** Per request: services and fresh DataLoaders, so batching never leaks data between requests. */
export function createContext(dataSource: DataSource, _req?: unknown, identity: Identity = { kind: "anonymous" }) {
  const rewards = new RewardService(dataSource);
  const redemptions = new RedemptionService(dataSource, rewards);
  return {
    identity,
    rewards,
    redemptions,
    cancellations: new CancellationService(dataSource, rewards),
    loaders: {
      reward: createRewardLoader(rewards),
      partnerRewards: createPartnerRewardsLoader(rewards),
      eligibleRewards: createEligibleRewardsLoader(rewards),
      redemption: createRedemptionLoader(redemptions),
      memberRedemptions: createMemberRedemptionsLoader(redemptions),
    },
  };
}
export type Context = ReturnType<typeof createContext>;
