import { createHash } from "node:crypto";
import { withDatabase } from "../shared/src/config";
import { createDataSource, dropDatabase, ensureDatabase } from "../shared/src/database";
import { createLogger } from "../shared/src/logger";
import { migrations } from "../subgraphs/ledger/src/data-source";

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
