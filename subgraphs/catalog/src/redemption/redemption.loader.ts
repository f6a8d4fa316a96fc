import DataLoader from "dataloader";
import { byIdLoader } from "../../../../shared/src/loaders";
import type { RedemptionService } from "./redemption.service";
import { Redemption } from "./redemption.type";

export const createRedemptionLoader = (redemptions: RedemptionService) =>
  byIdLoader(async (ids) => (await redemptions.findByIds(ids)).map(Redemption.from));

export interface MemberRedemptionsKey {
  memberId: string;
  first: number;
  /** Continue after this redemption id (a page's cursor); null from the newest. */
  after: string | null;
}

/**
 * A member's newest redemptions, keyed by member, page size and start. One statement per batch and
 * start (`after`; a list page has one) with the largest `first` asked; each key is then trimmed to its
 * own `first`.
 */
export const createMemberRedemptionsLoader = (redemptions: RedemptionService) =>
  new DataLoader<MemberRedemptionsKey, Redemption[], string>(
    async (keys) => {
      const byStart = new Map<string, Redemption[]>();
      for (const after of new Set(keys.map((k) => k.after))) {
        const group = keys.filter((k) => k.after === after);
        const rows = await redemptions.findRecent(
          group.map((k) => k.memberId),
          Math.max(...group.map((k) => k.first)),
          after,
        );
        for (const row of rows) {
          const key = `${after}:${row.memberId}`;
          byStart.set(key, [...(byStart.get(key) ?? []), Redemption.from(row)]);
        }
      }
      return keys.map((k) => (byStart.get(`${k.after}:${k.memberId.toLowerCase()}`) ?? []).slice(0, k.first));
    },
    { cacheKeyFn: (k) => `${k.memberId.toLowerCase()}:${k.first}:${k.after}` },
  );
