import { withDatabase } from "../shared/src/config";
import { createDataSource, dropDatabase, ensureDatabase } from "../shared/src/database";
import { createLogger } from "../shared/src/logger";
import { migrations } from "../subgraphs/members/src/data-source";
import { CreateMembers1732300000000 } from "../subgraphs/members/src/migrations/1732300000000-CreateMembers";

/**
 * The consent migration on a members database that already has links: they were made under the old
 * rules and become ACTIVE; a row written afterwards without a status is PENDING (no view by default).
 */
describe("members migration: partner link status", () => {
  const url = withDatabase(process.env.TEST_DATABASE_URL!, `coalition_members_consent${process.env.TEST_DATABASE_NAME_SUFFIX}`);
  const open = (list: Function[]) => createDataSource({ url, entities: [], migrations: list, log: createLogger("test"), poolSize: 2 });

  beforeAll(() => ensureDatabase(url));
  afterAll(() => dropDatabase(url));

  it("existing links become ACTIVE, new rows default to PENDING, and no other status is accepted", async () => {
    const before = await open([CreateMembers1732300000000]).initialize();
    await before.runMigrations();
    const [old] = await before.query(`INSERT INTO members (email, display_name) VALUES ('old@example.com', 'Old') RETURNING id`);
    await before.query(`INSERT INTO partner_accounts (member_id, partner_id, external_id) VALUES ($1, gen_random_uuid(), 'OLD-1')`, [old.id]);
    await before.destroy();

    const after = await open(migrations).initialize();
    try {
      await after.runMigrations();
      expect(await after.query(`SELECT external_id, status FROM partner_accounts`)).toEqual([{ external_id: "OLD-1", status: "ACTIVE" }]);
      await after.query(`INSERT INTO partner_accounts (member_id, partner_id, external_id, confirmed) VALUES ($1, gen_random_uuid(), 'NEW-1', true)`, [old.id]);
      expect((await after.query(`SELECT status FROM partner_accounts WHERE external_id = 'NEW-1'`))[0].status).toBe("PENDING");
      await expect(after.query(`UPDATE partner_accounts SET status = 'ENDED'`)).rejects.toThrow(/partner_accounts_status_check/);
      // Down: pending links never had consent, so they do not survive as plain links.
      // (Later migrations are undone first.)
      while ((await after.query(`SELECT name FROM migrations ORDER BY id DESC LIMIT 1`))[0].name !== "PartnerLinkConsent1733300000000") await after.undoLastMigration();
      await after.undoLastMigration();
      expect(await after.query(`SELECT external_id FROM partner_accounts`)).toEqual([{ external_id: "OLD-1" }]);
    } finally {
      await after.destroy();
    }
  });

  it("ConfirmedAccountIds: links made before it count as confirmed; every writer says which it is; down() drops the column", async () => {
    const confirmedUrl = withDatabase(process.env.TEST_DATABASE_URL!, `coalition_members_confirmed${process.env.TEST_DATABASE_NAME_SUFFIX}`);
    await ensureDatabase(confirmedUrl);
    // The members' migrations up to ConfirmedAccountIds (later ones are not what this checks).
    const upToConfirmed = migrations.slice(0, migrations.findIndex((m) => m.name === "ConfirmedAccountIds1734500000000") + 1);
    const db = await createDataSource({ url: confirmedUrl, entities: [], migrations: upToConfirmed.slice(0, -1), log: createLogger("test"), poolSize: 2 }).initialize();
    try {
      expect(upToConfirmed.at(-1)!.name).toBe("ConfirmedAccountIds1734500000000");
      await db.runMigrations();
      const [member] = await db.query(`INSERT INTO members (email, display_name) VALUES ('c@example.com', 'C') RETURNING id`);
      await db.query(`INSERT INTO partner_accounts (member_id, partner_id, external_id, status) VALUES ($1, gen_random_uuid(), 'OLD-1', 'ACTIVE')`, [member.id]);
      await db.destroy();
      const after = await createDataSource({ url: confirmedUrl, entities: [], migrations: upToConfirmed, log: createLogger("test"), poolSize: 2 }).initialize();
      try {
        await after.runMigrations();
        expect(await after.query(`SELECT external_id, confirmed FROM partner_accounts`)).toEqual([{ external_id: "OLD-1", confirmed: true }]);
        await expect(after.query(`INSERT INTO partner_accounts (member_id, partner_id, external_id) VALUES ($1, gen_random_uuid(), 'NEW-1')`, [member.id])).rejects.toThrow(/"confirmed"/);
        await after.undoLastMigration();
        expect((await after.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'partner_accounts'`)).map((c: { column_name: string }) => c.column_name)).not.toContain("confirmed");
      } finally {
        await after.destroy();
      }
    } finally {
      if (db.isInitialized) await db.destroy();
      await dropDatabase(confirmedUrl);
    }
  });
});
