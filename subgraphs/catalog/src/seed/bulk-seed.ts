import type { DataSource } from "typeorm";
import { type SeedPartner, seedRewardId } from "../../../../shared/src/seed/plan";

/**
 * Bulk seeding of the catalog: `count` rewards spread over the partners, keyed by deterministic ids
 * (a rerun adds nothing), in one statement. Cost, tier and stock follow the reward number: cheap
 * rewards for everyone, dearer ones for higher tiers, a third with unlimited stock.
 */
export async function writeSeedRewards(dataSource: DataSource, partners: SeedPartner[], count: number, anchor: Date): Promise<number> {
  if (!count || !partners.length) return 0;
  const ids = Array.from({ length: count }, (_, i) => seedRewardId(i + 1));
  const added: unknown[] = await dataSource.query(
    `INSERT INTO rewards (id, partner_id, title, description, cost_points, minimum_tier, stock, initial_stock, max_per_member, valid_from, active, created_at)
     SELECT r.id, p.id, p.name || ' reward ' || r.n, 'Seeded reward ' || r.n || ' from ' || p.name || '.',
            (ARRAY[300, 500, 800, 1200, 2000, 3500, 5000, 8000, 12000, 20000])[1 + r.n % 10] * (1 + r.n % 3),
            CASE WHEN r.n % 10 < 6 THEN 'BASE' WHEN r.n % 10 < 8 THEN 'SILVER' WHEN r.n % 10 < 9 THEN 'GOLD' ELSE 'PLATINUM' END,
            stock, stock, CASE WHEN r.n % 5 = 0 THEN 2 END,
            $4::timestamptz - interval '180 days', true, $4::timestamptz
     FROM unnest($1::uuid[]) WITH ORDINALITY AS r(id, n)
     -- Every third reward has unlimited stock (null); the others between 50 and 549.
     CROSS JOIN LATERAL (SELECT CASE WHEN r.n % 3 = 0 THEN NULL ELSE 50 + (r.n * 37) % 500 END AS stock) s
     JOIN unnest($2::uuid[], $3::text[]) WITH ORDINALITY AS p(id, name, i) ON p.i = 1 + (r.n - 1) % cardinality($2::uuid[])
     ON CONFLICT (id) DO NOTHING RETURNING 1`,
    [ids, partners.map((p) => p.id), partners.map((p) => p.name), anchor],
  );
  return added.length;
}
