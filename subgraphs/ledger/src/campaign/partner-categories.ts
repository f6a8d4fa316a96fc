import type { EntityManager } from "typeorm";

/**
 * The ledger's copy of each partner's category, for campaigns that cover a category: written when
 * the ledger learns a partner's rule (a purchase's cache miss, a new campaign), so the purchase path
 * reads it from its own database. Written only when it changed since this process last wrote it.
 */
const known = new Map<string, string>();

export async function rememberPartnerCategories(manager: EntityManager, partners: { id: string; category: string }[]): Promise<void> {
  const changed = partners.filter((p) => p.category && known.get(p.id) !== p.category);
  if (!changed.length) return;
  await manager.query(
    `INSERT INTO campaign_partner_categories AS pc (partner_id, category)
     SELECT * FROM unnest($1::uuid[], $2::text[]) ORDER BY 1
     ON CONFLICT (partner_id) DO UPDATE SET category = EXCLUDED.category WHERE pc.category <> EXCLUDED.category`,
    [changed.map((p) => p.id), changed.map((p) => p.category)],
  );
  for (const p of changed) known.set(p.id, p.category);
}
