import { Column, Entity, In, PrimaryColumn, PrimaryGeneratedColumn } from "typeorm";
import { withDatabase } from "../shared/src/config";
import { createDataSource, dropDatabase, ensureDatabase } from "../shared/src/database";
import { createLogger } from "../shared/src/logger";
import { preparedFindByIds, selectByIdsSql } from "../shared/src/prepared-by-id";
import { closePreparedQueries } from "../shared/src/prepared-query";
import * as members from "../subgraphs/members/src/data-source";
import { MemberRecord } from "../subgraphs/members/src/member/member.entity";
import * as partners from "../subgraphs/partners/src/data-source";
import { PartnerRecord } from "../subgraphs/partners/src/partner/partner.entity";

@Entity("transformed")
class Transformed {
  @PrimaryGeneratedColumn("uuid") id!: string;
  @Column("text", { transformer: { to: (v: string) => v, from: (v: string) => v.toUpperCase() } }) name!: string;
}

@Entity("numbered")
class Numbered {
  @PrimaryColumn("int") id!: number;
}

/**
 * preparedFindByIds (shared/src/prepared-by-id.ts) on the members and partners databases as their
 * migrations make them: the very records TypeORM's findBy({ id: In(ids) }) returns, every column and
 * type (dates, numeric strings, database defaults), for known, unknown and repeated ids.
 */
describe("preparedFindByIds", () => {
  const suffix = `_prepared_by_id${process.env.TEST_DATABASE_NAME_SUFFIX}`;
  const open = (name: string, service: { entities: Function[]; migrations: Function[] }) =>
    createDataSource({ url: withDatabase(process.env.TEST_DATABASE_URL!, `coalition_${name}${suffix}`), entities: service.entities, migrations: service.migrations, log: createLogger("test"), poolSize: 2 });
  const membersDb = open("members", members);
  const partnersDb = open("partners", partners);
  const unknown = "00000000-0000-4000-8000-000000000000";

  beforeAll(async () => {
    for (const db of [membersDb, partnersDb]) {
      await ensureDatabase((db.options as { url: string }).url);
      await db.initialize();
      await db.runMigrations();
    }
  });
  afterAll(async () => {
    for (const db of [membersDb, partnersDb]) {
      await closePreparedQueries(db);
      await db.destroy();
      await dropDatabase((db.options as { url: string }).url);
    }
  });

  it("members: the records TypeORM reads, referral code and enrolment time included", async () => {
    const rows = await membersDb.query(`INSERT INTO members (email, display_name) VALUES ('a@example.com', 'Ann'), ('b@example.com', 'Bo') RETURNING id`);
    const ids = [rows[1].id, unknown, rows[0].id];
    const prepared = await preparedFindByIds(membersDb, MemberRecord, ids);
    const typeorm = await membersDb.getRepository(MemberRecord).findBy({ id: In(ids) });
    const byId = <T extends { id: string }>(list: T[]) => [...list].sort((a, b) => a.id.localeCompare(b.id)).map((row) => ({ ...row }));
    expect(byId(prepared)).toEqual(byId(typeorm));
    expect(prepared).toHaveLength(2);
    const ann = prepared.find((m) => m.id === rows[0].id)!;
    expect(ann).toEqual({ id: rows[0].id, email: "a@example.com", displayName: "Ann", referralCode: expect.stringMatching(/^\S{6,}$/), enrolledAt: expect.any(Date) });
    expect(await preparedFindByIds(membersDb, MemberRecord, [unknown])).toEqual([]);
    expect(await preparedFindByIds(membersDb, MemberRecord, [])).toEqual([]);
  });

  it("partners: the records TypeORM reads, the earn rule still a numeric string", async () => {
    const [p] = await partnersDb.query(
      `INSERT INTO partners (slug, name, category, points_per_unit, currency, return_window_days) VALUES ('cafe', 'Café', 'DINING', 1.2345, 'EUR', 14) RETURNING id`,
    );
    const prepared = await preparedFindByIds(partnersDb, PartnerRecord, [p.id, p.id]);
    const typeorm = await partnersDb.getRepository(PartnerRecord).findBy({ id: In([p.id]) });
    expect(prepared.map((row) => ({ ...row }))).toEqual(typeorm.map((row) => ({ ...row })));
    expect(prepared[0]).toMatchObject({ slug: "cafe", name: "Café", category: "DINING", pointsPerUnit: "1.2345", currency: "EUR", returnWindowDays: 14 });
  });

  it("writes its SELECT from the entity, and refuses an entity it would read differently", async () => {
    expect(selectByIdsSql(partnersDb.getMetadata(PartnerRecord))).toBe(
      `SELECT "id" AS "id", "slug" AS "slug", "name" AS "name", "category" AS "category", "points_per_unit" AS "pointsPerUnit", "currency" AS "currency", "return_window_days" AS "returnWindowDays", "created_at" AS "createdAt" FROM "partners" WHERE "id" = ANY($1::uuid[])`,
    );
    const other = createDataSource({ url: "postgres://unused/none", entities: [Transformed, Numbered], migrations: [], log: createLogger("test"), poolSize: 1 });
    // Metadata without a connection (buildMetadatas is what initialize() runs first).
    await (other as unknown as { buildMetadatas(): Promise<void> }).buildMetadatas();
    expect(() => selectByIdsSql(other.getMetadata(Transformed))).toThrow("Transformed cannot be read by preparedFindByIds: a column has a value transformer");
    expect(() => selectByIdsSql(other.getMetadata(Numbered))).toThrow("Numbered cannot be read by preparedFindByIds: its primary key is not one uuid column");
  });
});
