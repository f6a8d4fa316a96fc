import DataLoader from "dataloader";
import type { DataSource } from "typeorm";
import type { PartnerCategory, TierLevel } from "../../../../shared/src/enums";
import { badInput } from "../../../../shared/src/errors";
import type { SubgraphClient } from "../../../../shared/src/subgraph-client";
import type { Standing } from "../balance/standing.loader";
import type { Clock } from "../clock";
import { TIER_THRESHOLDS, tierFor } from "../rules";
import { insightsPeriodProblem, publishInsights } from "./suppression";
import type { PartnerInsights } from "./insights.types";

/** One partner's insights asked for one period (a whole month that is over, checked before it is asked). */
interface InsightsKey {
  partnerId: string;
  from: Date;
  to: Date;
}

/** The population of the partners asked: `pop(partner_id, member_id)`, one row per partner and linked member ($2, $3). */
const POPULATION = `unnest($2::uuid[], $3::uuid[]) AS pop(partner_id, member_id)`;
/** Their purchases recorded in month $1 at partners other than the one asking: a partner records its own receipts, so counting them would let it steer the figures. */
const BOUGHT_ELSEWHERE = `member_earn_months e ON e.month = $1 AND e.member_id = pop.member_id AND e.partner_id <> pop.partner_id`;

/** Per partner asked: how many of its linked members made a purchase elsewhere in the month. */
const ACTIVE_SQL = `SELECT pop.partner_id, count(DISTINCT e.member_id) AS active FROM ${POPULATION} JOIN ${BOUGHT_ELSEWHERE} GROUP BY pop.partner_id`;

/**
 * Per partner asked and category of the other partners ($4, $5: every partner and its category): how many of
 * its linked members bought in the category, and how many at the busiest partner of it. member_earn_months
 * holds a row per member, partner and month, and a link one per partner and member: a (partner, member) pair once.
 */
const CATEGORIES_SQL = `WITH bought AS (
    SELECT pop.partner_id AS asker, c.category, e.partner_id, e.member_id
    FROM ${POPULATION} JOIN ${BOUGHT_ELSEWHERE}
    JOIN unnest($4::uuid[], $5::text[]) AS c(partner_id, category) ON c.partner_id = e.partner_id
  ), per_partner AS (SELECT asker, category, count(*) AS members FROM bought GROUP BY asker, category, partner_id)
  SELECT b.asker AS partner_id, b.category, count(DISTINCT b.member_id) AS members,
         (SELECT max(pp.members) FROM per_partner pp WHERE pp.asker = b.asker AND pp.category = b.category) AS busiest
  FROM bought b GROUP BY b.asker, b.category`;

type CategoryCount = { members: number; busiest: number };

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
    private readonly standing: DataLoader<string, Standing>,
  ) {}

  // A partner list's insights (an admin's `partners { insights }`) in one call to the members service, one to
  // the partners service and two statements per month asked, as one partner's: the service is made per
  // request (context.ts); batched only, never cached.
  private readonly loader = new DataLoader<InsightsKey, PartnerInsights>((keys) => this.insightsOf(keys), { cache: false });

  async insights(partnerId: string, from: Date, to: Date): Promise<PartnerInsights> {
    const problem = insightsPeriodProblem(from, to, this.clock.now());
    if (problem) throw badInput(problem.message, problem.field);
    return this.loader.load({ partnerId: partnerId.toLowerCase(), from, to });
  }

  private async insightsOf(keys: readonly InsightsKey[]): Promise<PartnerInsights[]> {
    const partnerIds = [...new Set(keys.map((key) => key.partnerId))];
    const [{ activeLinkedMemberIds }, { partners }] = await Promise.all([
      this.members.request<{ activeLinkedMemberIds: string[][] }>(`query ActiveLinkedMembers($p: [ID!]!) { activeLinkedMemberIds(partnerIds: $p) }`, { p: partnerIds }),
      this.partners.request<{ partners: { id: string; category: PartnerCategory }[] }>(`query PartnerCategories { partners { id category } }`),
    ]);
    const linkedOf = new Map(partnerIds.map((id, i) => [id, activeLinkedMemberIds[i]]));
    const everyone = [...new Set(activeLinkedMemberIds.flat())];
    const standings = new Map<string, Standing>();
    (everyone.length ? await this.standing.loadMany(everyone) : []).forEach((standing, i) => {
      if (standing instanceof Error) throw standing;
      standings.set(everyone[i], standing);
    });

    const active = new Map<string, number>(); // month/partner
    const bought = new Map<string, Map<string, CategoryCount>>(); // month/partner → category
    for (const month of new Set(keys.map(monthOf))) {
      const pairs = { partners: [] as string[], members: [] as string[] };
      for (const id of new Set(keys.filter((key) => monthOf(key) === month).map((key) => key.partnerId))) {
        for (const member of linkedOf.get(id)!) pairs.partners.push(id), pairs.members.push(member);
      }
      if (!pairs.members.length) continue;
      const [activeRows, categoryRows] = await Promise.all([
        this.dataSource.query(ACTIVE_SQL, [month, pairs.partners, pairs.members]) as Promise<{ partner_id: string; active: string }[]>,
        this.dataSource.query(CATEGORIES_SQL, [month, pairs.partners, pairs.members, partners.map((p) => p.id), partners.map((p) => p.category)]) as Promise<
          { partner_id: string; category: PartnerCategory; members: string; busiest: string }[]
        >,
      ]);
      for (const row of activeRows) active.set(`${month}/${row.partner_id}`, Number(row.active));
      for (const row of categoryRows) {
        const counts = bought.get(`${month}/${row.partner_id}`) ?? new Map<string, CategoryCount>();
        counts.set(row.category, { members: Number(row.members), busiest: Number(row.busiest) });
        bought.set(`${month}/${row.partner_id}`, counts);
      }
    }

    return keys.map((key) => {
      const linked = linkedOf.get(key.partnerId)!;
      const tiers = new Map<string, number>(TIER_THRESHOLDS.map((t) => [t.tier, 0]));
      let availableSum = 0;
      for (const member of linked) {
        const standing = standings.get(member)!;
        tiers.set(tierFor(standing.qualifying), tiers.get(tierFor(standing.qualifying))! + 1);
        availableSum += standing.available;
      }
      const counted = bought.get(`${monthOf(key)}/${key.partnerId}`);
      const categories = [...new Set(partners.filter((p) => p.id !== key.partnerId).map((p) => p.category))].sort();
      const published = publishInsights(
        {
          linked: linked.length,
          active: active.get(`${monthOf(key)}/${key.partnerId}`) ?? 0,
          tiers: [...tiers].map(([tier, members]) => ({ tier, members })),
          availableSum,
          categories: categories.map((category) => ({ category, ...(counted?.get(category) ?? { members: 0, busiest: 0 }) })),
        },
        this.minGroup,
      );
      return {
        from: key.from,
        to: key.to,
        linkedMembers: published.linkedMembers,
        activeMembers: published.activeMembers,
        tiers: published.tiers.map((t) => ({ tier: t.tier as TierLevel, members: t.members })),
        averageBalance: published.averageAvailable,
        alsoEarnsAt: published.alsoEarnsAt.map((c) => ({ category: c.category as PartnerCategory, members: c.members })),
      };
    });
  }
}

/** The month of a key's period (its first day, as `member_earn_months.month`). */
const monthOf = (key: InsightsKey) => key.from.toISOString().slice(0, 10);
