import DataLoader from "dataloader";
import { byIdLoader, groupLoader } from "../../../../shared/src/loaders";
import type { RewardService, Standing } from "./reward.service";
import { Reward } from "./reward.type";

export const createRewardLoader = (rewards: RewardService) =>
  byIdLoader(async (ids) => (await rewards.findByIds(ids)).map(Reward.from));

/** Partner id -> its rewards; ids compared lowercased, as stored. */
export const createPartnerRewardsLoader = (rewards: RewardService) =>
  groupLoader<string, Reward>(
    async (partnerIds) => (await rewards.findByPartnerIds(partnerIds)).map(Reward.from),
    (reward) => reward.partnerId,
    (partnerId) => partnerId.toLowerCase(),
  );

export interface EligibleKey extends Standing {
  first: number;
}

/**
 * Rewards a member may redeem at the request's `now`, keyed by member, standing and page size. One
 * statement per batch: distinct (member, standing), the largest `first` asked, then each key trimmed
 * to its own `first`. Keyed by member, not only by standing: `maxPerMember` depends on the member's
 * own redemptions.
 */
export const createEligibleRewardsLoader = (rewards: RewardService, now: Date) =>
  new DataLoader<EligibleKey, Reward[], string>(
    async (keys) => {
      const standingKey = (k: Standing) => `${k.memberId.toLowerCase()}:${k.tier}:${k.available}`;
      const standings = [...new Map(keys.map((k) => [standingKey(k), { memberId: k.memberId, tier: k.tier, available: k.available }])).values()];
      const lists = await rewards.eligible(standings, Math.max(...keys.map((k) => k.first)), now);
      const byStanding = new Map(standings.map((s, i) => [standingKey(s), lists[i].map(Reward.from)]));
      return keys.map((k) => (byStanding.get(standingKey(k)) ?? []).slice(0, k.first));
    },
    { cacheKeyFn: (k) => `${k.memberId.toLowerCase()}:${k.tier}:${k.available}:${k.first}` },
  );
