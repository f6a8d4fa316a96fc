import { createHash } from "node:crypto";
import { withDatabase } from "../shared/src/config";
import { createDataSource, dropDatabase, ensureDatabase } from "../shared/src/database";
import { createLogger } from "../shared/src/logger";
import { migrations } from "../subgraphs/ledger/src/data-source";
import { migrations as membersMigrations } from "../subgraphs/members/src/data-source";

const digest = (text: string) => `erased:${createHash("sha256").update(text, "utf8").digest("hex")}`;

/**
 * CallerTextErased1734960000000 on a ledger that already holds erased members: the callers' texts on
 * their transactions (key, reference) and the request ids of their audit lines become digests; another
 * member's stay; down() makes `transactions` wholly append-only again.
 */
describe("CallerTextErased migration", () => {
  const url = withDatabase(process.env.TEST_DATABASE_URL!, `coalition_ledger_callertext${process.env.TEST_DATABASE_NAME_SUFFIX}`);
  beforeAll(() => ensureDatabase(url));
  afterAll(() => dropDatabase(url));

  it("replaces the texts of members erased before it, and down() refuses every change again", async () => {
    const db = await createDataSource({ url, entities: [], migrations, log: createLogger("test"), poolSize: 2 }).initialize();
    const before = "LotOrigins1734930000000";
    const undoToBefore = async () => {
      while ((await db.query(`SELECT name FROM migrations ORDER BY id DESC LIMIT 1`))[0].name !== before) await db.undoLastMigration();
    };
    try {
      await db.runMigrations();
      await undoToBefore();
      const [erased, kept] = [(await db.query(`SELECT gen_random_uuid() AS id`))[0].id, (await db.query(`SELECT gen_random_uuid() AS id`))[0].id];
      const partner = (await db.query(`SELECT gen_random_uuid() AS id`))[0].id;
      for (const [member, who] of [[erased, "ada"], [kept, "bob"]]) {
        const [account] = await db.query(`INSERT INTO accounts (kind, owner_id) VALUES ('MEMBER', $1) RETURNING id`, [member]);
        const [tx] = await db.query(
          `INSERT INTO transactions (kind, idempotency_key, fingerprint, partner_id, reference, occurred_at) VALUES ('EARN', $1, 'f', $2, $3, now()) RETURNING id`,
          [`purchase:${partner}:receipt ${who}@mail.example`, partner, `receipt ${who}@mail.example`],
        );
        await db.query(`INSERT INTO postings (transaction_id, account_id, amount, occurred_at, member_id, entry_kind) VALUES ($1, $2, 0, now(), $3, 'EARN')`, [tx.id, account.id, member]);
        await db.query(`INSERT INTO audit_events (actor, action, member_id, request_id, outcome) VALUES ('admin:care', 'ADJUST_POINTS', $1, $2, 'SUCCEEDED')`, [member, `${who}.ticket`]);
      }
      await db.query(`INSERT INTO member_erasures (member_id, adjustment_reason, forfeited_points, erased_at) VALUES ($1, 'ERASURE', 0, now())`, [erased]);
      await expect(db.query(`UPDATE transactions SET reference = 'x' WHERE reference = 'receipt ada@mail.example'`)).rejects.toThrow(/append-only/);

      await db.runMigrations();
      const texts = async () =>
        (await db.query(`SELECT t.idempotency_key, t.reference, a.request_id FROM transactions t JOIN postings p ON p.transaction_id = t.id JOIN audit_events a ON a.member_id = p.member_id ORDER BY a.request_id`)) as unknown[];
      const bob = { idempotency_key: `purchase:${partner}:receipt bob@mail.example`, reference: "receipt bob@mail.example", request_id: "bob.ticket" };
      const ada = { idempotency_key: digest(`purchase:${partner}:receipt ada@mail.example`), reference: digest("receipt ada@mail.example"), request_id: digest("ada.ticket") };
      expect(await texts()).toEqual([bob, ada].sort((x, y) => (x.request_id < y.request_id ? -1 : 1)));

      // Back to just before it: the erased member's texts stay digests; no change is admitted any more.
      await undoToBefore();
      await db.query(`INSERT INTO member_erasures (member_id, adjustment_reason, forfeited_points, erased_at) VALUES ($1, 'ERASURE', 0, now())`, [kept]);
      await expect(db.query(`UPDATE transactions SET reference = $1 WHERE reference = 'receipt bob@mail.example'`, [digest("receipt bob@mail.example")])).rejects.toThrow(/append-only/);
      await expect(db.query(`UPDATE audit_events SET request_id = $1 WHERE request_id = 'bob.ticket'`, [digest("bob.ticket")])).rejects.toThrow(/append-only/);
      await db.runMigrations();
    } finally {
      await db.destroy();
    }
  }, 120_000);
});

/**
 * ErasuresCatalogStep1734960000003 on a members database with erasures finished before the catalog took
 * part: they stay completed (same time) with no catalog step, which opens them to the sweep; one still
 * open stays open; down() drops the column.
 */
describe("ErasuresCatalogStep migration", () => {
  const url = withDatabase(process.env.TEST_DATABASE_URL!, `coalition_members_catalogstep${process.env.TEST_DATABASE_NAME_SUFFIX}`);
  beforeAll(() => ensureDatabase(url));
  afterAll(() => dropDatabase(url));

  it("leaves every erasure without the catalog's step, open to the sweep, its completion time kept; down() drops the column", async () => {
    const db = await createDataSource({ url, entities: [], migrations: membersMigrations, log: createLogger("test"), poolSize: 2 }).initialize();
    const open = `SELECT member_id::text FROM member_erasures WHERE completed_at IS NULL OR catalog_step_at IS NULL ORDER BY requested_at`;
    try {
      // Back to just before ErasuresCatalogStep (found by name: later migrations come after it).
      const undoToBefore = async () => {
        while ((await db.query(`SELECT name FROM migrations ORDER BY id DESC LIMIT 1`))[0].name !== "CallerTextErased1734960000001") await db.undoLastMigration();
      };
      await db.runMigrations();
      await undoToBefore();
      const finished = "00000000-0000-4000-8000-0000000000a1";
      const unfinished = "00000000-0000-4000-8000-0000000000a2";
      await db.query(`INSERT INTO member_erasures (member_id, requested_at, completed_at) VALUES ($1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:05Z'), ($2, '2026-01-02T00:00:00Z', NULL)`, [finished, unfinished]);
      await db.runMigrations();
      expect(await db.query(open)).toEqual([{ member_id: finished }, { member_id: unfinished }]);
      expect((await db.query(`SELECT completed_at FROM member_erasures WHERE member_id = $1`, [finished]))[0].completed_at.toISOString()).toBe("2026-01-01T00:00:05.000Z");
      // The sweep's query is served by the open erasures' index, as before.
      const [{ indexdef }] = await db.query(`SELECT indexdef FROM pg_indexes WHERE indexname = 'member_erasures_open_idx'`);
      expect(indexdef).toContain("(completed_at IS NULL) OR (catalog_step_at IS NULL)");

      await undoToBefore();
      expect(await db.query(`SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'member_erasures' AND column_name = 'catalog_step_at'`)).toEqual([{ n: 0 }]);
      expect(await db.query(`SELECT member_id::text FROM member_erasures WHERE completed_at IS NULL`)).toEqual([{ member_id: unfinished }]);
      await db.runMigrations();
    } finally {
      await db.destroy();
    }
  }, 120_000);
});
