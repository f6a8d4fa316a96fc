import { withDatabase } from "../shared/src/config";
import { createDataSource, dropDatabase, ensureDatabase } from "../shared/src/database";
import { createLogger } from "../shared/src/logger";
import { migrations } from "../subgraphs/ledger/src/data-source";

/**
 * AdjustmentNotesErased1734920000000 on a ledger that already holds adjustments: the notes of members
 * erased before it are replaced, every other note stays; down() makes `adjustments` wholly append-only again.
 */
describe("AdjustmentNotesErased migration", () => {
  const url = withDatabase(process.env.TEST_DATABASE_URL!, `coalition_ledger_notes${process.env.TEST_DATABASE_NAME_SUFFIX}`);
  beforeAll(() => ensureDatabase(url));
  afterAll(() => dropDatabase(url));

  it("replaces the notes of members erased before it, and down() refuses every change again", async () => {
    const db = await createDataSource({ url, entities: [], migrations, log: createLogger("test"), poolSize: 2 }).initialize();
    try {
      await db.runMigrations();
      while ((await db.query(`SELECT name FROM migrations ORDER BY id DESC LIMIT 1`))[0].name !== "RefundsTakeBackBreakage1734890000003") await db.undoLastMigration();
      const [erased, kept] = [(await db.query(`SELECT gen_random_uuid() AS id`))[0].id, (await db.query(`SELECT gen_random_uuid() AS id`))[0].id];
      for (const [member, note] of [[erased, "Goodwill for Ada Byron"], [kept, "Card migrated from the old program"]]) {
        const [tx] = await db.query(
          `INSERT INTO transactions (kind, idempotency_key, fingerprint, occurred_at) VALUES ('ADJUSTMENT', gen_random_uuid()::text, 'f', now()) RETURNING id`,
        );
        await db.query(`INSERT INTO adjustments (transaction_id, member_id, reason, note, made_by) VALUES ($1, $2, 'GOODWILL', $3, 'admin:care')`, [tx.id, member, note]);
      }
      await db.query(`INSERT INTO member_erasures (member_id, adjustment_reason, forfeited_points, erased_at) VALUES ($1, 'ERASURE', 0, now())`, [erased]);
      // Before it, even the erased member's note cannot change.
      await expect(db.query(`UPDATE adjustments SET note = '(erased with the member)' WHERE member_id = $1`, [erased])).rejects.toThrow(/append-only/);

      await db.runMigrations();
      const notes = async () => (await db.query(`SELECT member_id, note FROM adjustments`)).map((r: { member_id: string; note: string }) => [r.member_id === erased ? "erased" : "kept", r.note]).sort();
      expect(await notes()).toEqual([["erased", "(erased with the member)"], ["kept", "Card migrated from the old program"]]);

      // Back to just before it (later migrations first).
      while ((await db.query(`SELECT name FROM migrations ORDER BY id DESC LIMIT 1`))[0].name !== "RefundsTakeBackBreakage1734890000003") await db.undoLastMigration();
      await expect(db.query(`UPDATE adjustments SET note = '(erased with the member)' WHERE member_id = $1`, [kept])).rejects.toThrow(/append-only/);
      await db.query(`INSERT INTO member_erasures (member_id, adjustment_reason, forfeited_points, erased_at) VALUES ($1, 'ERASURE', 0, now())`, [kept]);
      await expect(db.query(`UPDATE adjustments SET note = '(erased with the member)' WHERE member_id = $1`, [kept])).rejects.toThrow(/append-only/);
      await db.runMigrations();
    } finally {
      await db.destroy();
    }
  }, 120_000);
});
