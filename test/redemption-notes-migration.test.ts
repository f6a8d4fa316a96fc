import { withDatabase } from "../shared/src/config";
import { createDataSource, dropDatabase, ensureDatabase } from "../shared/src/database";
import { createLogger } from "../shared/src/logger";
import { migrations } from "../subgraphs/catalog/src/data-source";

/**
 * SettledRedemptionsNameNoFailure1734930000000: a completed (or since cancelled) redemption kept the
 * saga's note UPSTREAM_UNAVAILABLE from while its ledger answer was lost; the member's export read it.
 * The migration clears those notes and keeps a FAILED redemption's reason and a PENDING one's note.
 */
describe("catalog migration: settled redemptions name no failure", () => {
  const url = withDatabase(process.env.TEST_DATABASE_URL!, `coalition_catalog_notes${process.env.TEST_DATABASE_NAME_SUFFIX}`);
  const open = (list: Function[]) => createDataSource({ url, entities: [], migrations: list, log: createLogger("test"), poolSize: 2 });

  beforeAll(() => ensureDatabase(url));
  afterAll(() => dropDatabase(url));

  it("clears the note of COMPLETED and CANCELLED redemptions only", async () => {
    // Every migration before this one (not "all but the last": later migrations come after it).
    const at = migrations.findIndex((migration) => migration.name === "SettledRedemptionsNameNoFailure1734930000000");
    expect(at).toBeGreaterThan(0);
    const before = await open(migrations.slice(0, at)).initialize();
    await before.runMigrations();
    const [reward] = await before.query(
      `INSERT INTO rewards (partner_id, title, description, cost_points, minimum_tier) VALUES (gen_random_uuid(), 'Mug', 'A mug', 100, 'BASE') RETURNING id`,
    );
    for (const [key, status, reason] of [
      ["completed", "COMPLETED", "UPSTREAM_UNAVAILABLE"],
      ["cancelled", "CANCELLED", "UPSTREAM_UNAVAILABLE"],
      ["failed", "FAILED", "INSUFFICIENT_POINTS"],
      ["pending", "PENDING", "UPSTREAM_UNAVAILABLE"],
      ["clean", "COMPLETED", null],
    ]) {
      await before.query(
        `INSERT INTO redemptions (member_id, reward_id, points_spent, status, idempotency_key, failure_reason) VALUES (gen_random_uuid(), $1, 100, $2, $3, $4)`,
        [reward.id, status, key, reason],
      );
    }
    await before.destroy();

    const after = await open(migrations).initialize();
    try {
      await after.runMigrations();
      expect(await after.query(`SELECT idempotency_key AS key, failure_reason AS reason FROM redemptions ORDER BY idempotency_key`)).toEqual([
        { key: "cancelled", reason: null },
        { key: "clean", reason: null },
        { key: "completed", reason: null },
        { key: "failed", reason: "INSUFFICIENT_POINTS" },
        { key: "pending", reason: "UPSTREAM_UNAVAILABLE" },
      ]);
    } finally {
      await after.destroy();
    }
  });
});
