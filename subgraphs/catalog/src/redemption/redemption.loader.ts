import DataLoader from "dataloader";
import { byIdLoader } from "../../../../shared/src/loaders";
import type { RedemptionService } from "./redemption.service";
import { Redemption } from "./redemption.type";

export const createRedemptionLoader = (redemptions: RedemptionService) =>
  byIdLoader(async (ids) => (await redemptions.findByIds(ids)).map(Redemption.from));

export interface MemberRedemptionsKey {
  memberId: string;
  first: number;
}

/**
 * A member's newest redemptions, keyed by member and page size. One statement per batch with the
 * largest `first` asked; each key is then trimmed to its own `first`.
 */
export const createMemberRedemptionsLoader = (redemptions: RedemptionService) =>
  new DataLoader<MemberRedemptionsKey, Redemption[], string>(
    async (keys) => {
      const rows = await redemptions.findRecent(
        keys.map((k) => k.memberId),
        Math.max(...keys.map((k) => k.first)),
      );
      const byMember = new Map<string, Redemption[]>();
      for (const row of rows) byMember.set(row.memberId, [...(byMember.get(row.memberId) ?? []), Redemption.from(row)]);
      return keys.map((k) => (byMember.get(k.memberId.toLowerCase()) ?? []).slice(0, k.first));
    },
    { cacheKeyFn: (k) => `${k.memberId.toLowerCase()}:${k.first}` },
  );
