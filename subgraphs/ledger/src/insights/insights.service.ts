import type DataLoader from "dataloader";
import type { DataSource } from "typeorm";
import type { PartnerCategory, TierLevel } from "../../../../shared/src/enums";
import { badInput } from "../../../../shared/src/errors";
import type { SubgraphClient } from "../../../../shared/src/subgraph-client";
import type { Standing } from "../balance/standing.loader";
import type { Clock } from "../clock";
import { TIER_THRESHOLDS, tierFor } from "../rules";
import { insightsPeriodProblem, publishInsights } from "./suppression";
import type { PartnerInsights } from "./insights.types";

/**
 * Partner insights: the population (members with an ACTIVE link, from the members service), the
 * other partners' categories (from the partners service), and from the ledger's running state only:
 * tiers and available points (the standing loader: accounts, daily buckets) and who made a purchase
 * where in the month (`member_earn_months`). Then suppression.ts decides what may be shown.
 */
export class InsightsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly members: SubgraphClient,
    private readonly partners: SubgraphClient,
    private readonly minGroup: number,
  ) {}

  async insights(partnerId: string, from: Date, to: Date, standing: DataLoader<string, Standing>): Promise<PartnerInsights> {
    const problem = insightsPeriodProblem(from, to, this.clock.now());
    if (problem) throw badInput(problem.message, problem.field);
    const [{ activeLinkedMemberIds: linked }, { partners }] = await Promise.all([
      this.members.request<{ activeLinkedMemberIds: string[] }>(`query($p: ID!) { activeLinkedMemberIds(partnerId: $p) }`, { p: partnerId }),
      this.partners.request<{ partners: { id: string; category: PartnerCategory }[] }>(`{ partners { id category } }`),
    ]);
    const others = partners.filter((p) => p.id !== partnerId);
    const month = from.toISOString().slice(0, 10);
    const [standings, [activity], categoryRows] = await Promise.all([
      linked.length ? standing.loadMany(linked) : Promise.resolve([]),
      // Purchases at other partners only: a partner records its own receipts, so counting them would let it
      // steer the figure (a receipt for every linked member but a few shows whether those few bought anywhere).
      this.dataSource.query(
        `SELECT count(DISTINCT member_id) AS active FROM member_earn_months WHERE month = $1 AND member_id = ANY($2::uuid[]) AND partner_id <> $3`,
        [month, linked, partnerId],
      ),
      this.dataSource.query(
        // member_earn_months holds a row per member, partner and month: a (partner, member) pair once.
        `WITH bought AS (
           SELECT c.category, e.partner_id, e.member_id
           FROM member_earn_months e JOIN unnest($3::uuid[], $4::text[]) AS c(partner_id, category) USING (partner_id)
           WHERE e.month = $1 AND e.member_id = ANY($2::uuid[])
         ), per_partner AS (SELECT category, count(*) AS members FROM bought GROUP BY category, partner_id)
         SELECT b.category, count(DISTINCT b.member_id) AS members, (SELECT max(pp.members) FROM per_partner pp WHERE pp.category = b.category) AS busiest
         FROM bought b GROUP BY b.category`,
        [month, linked, others.map((p) => p.id), others.map((p) => p.category)],
      ) as Promise<{ category: PartnerCategory; members: string; busiest: string }[]>,
    ]);
    const tiers = new Map<string, number>(TIER_THRESHOLDS.map((t) => [t.tier, 0]));
    let availableSum = 0;
    for (const s of standings) {
      if (s instanceof Error) throw s;
      tiers.set(tierFor(s.qualifying), tiers.get(tierFor(s.qualifying))! + 1);
      availableSum += s.available;
    }
    const counted = new Map(categoryRows.map((row) => [row.category, { members: Number(row.members), busiest: Number(row.busiest) }]));
    const categories = [...new Set(others.map((p) => p.category))].sort();
    const published = publishInsights(
      {
        linked: linked.length,
        active: Number(activity.active),
        tiers: [...tiers].map(([tier, members]) => ({ tier, members })),
        availableSum,
        categories: categories.map((category) => ({ category, ...(counted.get(category) ?? { members: 0, busiest: 0 }) })),
      },
      this.minGroup,
    );
    return {
      from,
      to,
      linkedMembers: published.linkedMembers,
      activeMembers: published.activeMembers,
      tiers: published.tiers.map((t) => ({ tier: t.tier as TierLevel, members: t.members })),
      averageBalance: published.averageAvailable,
      alsoEarnsAt: published.alsoEarnsAt.map((c) => ({ category: c.category as PartnerCategory, members: c.members })),
    };
  }
}
