import type { DataSource } from "typeorm";
import type { SeedPartner } from "../../../../shared/src/seed/plan";

/**
 * Bulk seeding of the partners database: the seeded brands and their earn rules, keyed by their
 * deterministic ids (a rerun adds nothing). A slug taken by another partner fails loudly.
 */
export async function writeSeedPartners(dataSource: DataSource, partners: SeedPartner[], createdAt: Date): Promise<number> {
  const added: unknown[] = await dataSource.query(
    `INSERT INTO partners (id, slug, name, category, points_per_unit, currency, return_window_days, created_at)
     SELECT id, slug, name, category, points_per_unit, currency, return_window_days, $8
     FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::numeric[], $6::text[], $7::int[])
       AS p(id, slug, name, category, points_per_unit, currency, return_window_days)
     ON CONFLICT (id) DO NOTHING RETURNING 1`,
    [
      partners.map((p) => p.id),
      partners.map((p) => p.slug),
      partners.map((p) => p.name),
      partners.map((p) => p.category),
      partners.map((p) => String(p.pointsPerUnit)),
      partners.map((p) => p.currency),
      partners.map((p) => p.returnWindowDays),
      createdAt,
    ],
  );
  return added.length;
}
