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
  /** Continue after this reward id (a page's cursor); null from the start. */
  after: string | null;
}

/**
 * Rewards a member may redeem at the request's `now`, keyed by member, standing, page size and start.
 * One statement per batch and start (`after`; a list page has one): distinct (member, standing), the
 * largest `first` asked, then each key trimmed to its own `first`. Keyed by member, not only by
 * standing: `maxPerMember` depends on the member's own redemptions.
 */
export const createEligibleRewardsLoader = (rewards: RewardService, now: Date) =>
  new DataLoader<EligibleKey, Reward[], string>(
    async (keys) => {
      const standingKey = (k: Standing) => `${k.memberId.toLowerCase()}:${k.tier}:${k.available}`;
      const answers = new Map<string, Reward[]>();
      for (const after of new Set(keys.map((k) => k.after))) {
        const group = keys.filter((k) => k.after === after);
        const standings = [...new Map(group.map((k) => [standingKey(k), { memberId: k.memberId, tier: k.tier, available: k.available }])).values()];
        const lists = await rewards.eligible(standings, Math.max(...group.map((k) => k.first)), now, after);
        standings.forEach((s, i) => answers.set(`${after}:${standingKey(s)}`, lists[i].map(Reward.from)));
      }
      return keys.map((k) => (answers.get(`${k.after}:${standingKey(k)}`) ?? []).slice(0, k.first));
    },
    { cacheKeyFn: (k) => `${k.memberId.toLowerCase()}:${k.tier}:${k.available}:${k.first}:${k.after}` },
  );
