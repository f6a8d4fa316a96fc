import type { DataSource } from "typeorm";
import type { SeedMember, SeedPartner } from "../../../../shared/src/seed/plan";

/**
 * Bulk seeding of the members database: the members of a batch and their links to the brands they
 * buy at, in one transaction. Rows are keyed by their deterministic ids, so writing a batch again
 * adds nothing; an email already taken by another id (someone enrolled it through the API) fails loudly.
 */

/** When the well-known light member was enrolled: the seed's epoch, which fixes every seeded time. */
export async function seedEpoch(dataSource: DataSource, lightMemberId: string): Promise<Date | null> {
  const [row] = await dataSource.query(`SELECT enrolled_at FROM members WHERE id = $1`, [lightMemberId]);
  return row ? new Date(row.enrolled_at) : null;
}

/** Writes the batch's members and partner links; returns the rows added. */
export async function writeSeedMembers(dataSource: DataSource, partners: SeedPartner[], members: SeedMember[]): Promise<number> {
  const links = members.flatMap((member) => member.partners.map((index) => ({ member, partner: partners[index] })));
  return dataSource.transaction(async (manager) => {
    await manager.query(`SET LOCAL synchronous_commit = off`);
    const added: unknown[] = await manager.query(
      `INSERT INTO members (id, email, display_name, enrolled_at)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[])
       ON CONFLICT (id) DO NOTHING RETURNING 1`,
      [members.map((m) => m.id), members.map((m) => m.email), members.map((m) => m.displayName), members.map((m) => m.enrolledAt)],
    );
    // The brand's own account id for the member, like a loyalty card number: unique per brand. ACTIVE:
    // seeded members stand for customers who agreed to their links.
    const linked: unknown[] = await manager.query(
      `INSERT INTO partner_accounts (member_id, partner_id, external_id, linked_at, status, confirmed)
       SELECT *, 'ACTIVE', true FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[])
       ON CONFLICT (member_id, partner_id) DO NOTHING RETURNING 1`,
      [links.map((l) => l.member.id), links.map((l) => l.partner.id), links.map((l) => `SEED-${l.member.ref.toUpperCase()}`), links.map((l) => l.member.enrolledAt)],
    );
    return added.length + linked.length;
  });
}
