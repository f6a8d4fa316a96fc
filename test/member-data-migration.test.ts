import { withDatabase } from "../shared/src/config";
import { createDataSource, dropDatabase, ensureDatabase } from "../shared/src/database";
import { createLogger } from "../shared/src/logger";
import { migrations as memberMigrations } from "../subgraphs/members/src/data-source";
import { migrations as ledgerMigrations } from "../subgraphs/ledger/src/data-source";

/** The migrations of members' data rights go up and back down (each down() reverts what its comment says). */
describe("member data rights migrations", () => {
  const suffix = `_datarights${process.env.TEST_DATABASE_NAME_SUFFIX}`;
  const membersUrl = withDatabase(process.env.TEST_DATABASE_URL!, `coalition_members${suffix}`);
  const ledgerUrl = withDatabase(process.env.TEST_DATABASE_URL!, `coalition_ledger${suffix}`);
  const open = (url: string, list: Function[]) => createDataSource({ url, entities: [], migrations: list, log: createLogger("test"), poolSize: 2 });
  const undoTo = async (dataSource: Awaited<ReturnType<ReturnType<typeof open>["initialize"]>>, name: string) => {
    while ((await dataSource.query(`SELECT name FROM migrations ORDER BY id DESC LIMIT 1`))[0].name !== name) await dataSource.undoLastMigration();
  };

  beforeAll(async () => {
    await ensureDatabase(membersUrl);
    await ensureDatabase(ledgerUrl);
  });
  afterAll(async () => {
    await dropDatabase(membersUrl);
    await dropDatabase(ledgerUrl);
  });

  it("members: every link made, approved and ended is in the history; down() drops the history and the erasures", async () => {
    const db = await open(membersUrl, memberMigrations).initialize();
    try {
      await db.runMigrations();
      const [member] = await db.query(`INSERT INTO members (email, display_name) VALUES ('m@example.com', 'M') RETURNING id`);
      const [{ p }] = await db.query(`SELECT gen_random_uuid() AS p`);
      await db.query(`INSERT INTO partner_accounts (member_id, partner_id, external_id, confirmed) VALUES ($1, $2, 'C-1', true)`, [member.id, p]);
      await db.query(`UPDATE partner_accounts SET status = 'ACTIVE'`);
      await db.query(`UPDATE partner_accounts SET status = 'ACTIVE'`); // no change: no event
      await db.query(`DELETE FROM partner_accounts`);
      expect(await db.query(`SELECT event, status, external_id FROM partner_account_history ORDER BY id`)).toEqual([
        { event: "LINKED", status: "PENDING", external_id: "C-1" },
        { event: "APPROVED", status: "ACTIVE", external_id: "C-1" },
        { event: "ENDED", status: "ACTIVE", external_id: "C-1" },
      ]);
      await undoTo(db, "MemberDataRights1734200000000");
      await db.undoLastMigration();
      const tables = (await db.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`)).map((t: { table_name: string }) => t.table_name);
      expect(tables).not.toContain("partner_account_history");
      expect(tables).not.toContain("member_erasures");
      await db.query(`INSERT INTO partner_accounts (member_id, partner_id, external_id) VALUES ($1, $2, 'C-2')`, [member.id, p]); // no trigger left
      await db.runMigrations();
    } finally {
      await db.destroy();
    }
  });

  it("ledger: down() drops member_erasures and restores record_purchases without the erasure check", async () => {
    const db = await open(ledgerUrl, ledgerMigrations).initialize();
    const definition = async () => (await db.query(`SELECT pg_get_functiondef('record_purchases'::regproc) AS d`))[0].d as string;
    try {
      await db.runMigrations();
      expect(await definition()).toContain("member_erasures");
      await undoTo(db, "MemberErasures1734210000000");
      await db.undoLastMigration();
      expect(await definition()).not.toContain("member_erasures");
      expect(await db.query(`SELECT to_regclass('member_erasures') AS t`)).toEqual([{ t: null }]);
      await db.runMigrations();
      expect(await definition()).toContain("member_erasures");
    } finally {
      await db.destroy();
    }
  });
});
