import { freshSnapshots, staleSnapshots } from "../tools/db-snapshot";

describe("database schema snapshots", () => {
  it("the committed subgraphs/*/schema.sql match what the migrations build on fresh databases (npm run db:snapshot)", async () => {
    const snapshots = await freshSnapshots(process.env.TEST_DATABASE_URL!);
    expect(await staleSnapshots(snapshots)).toEqual([]);
    expect(snapshots.ledger).toMatch(/CREATE OR REPLACE FUNCTION public\.record_purchases\(/);
    expect(snapshots.members).toMatch(/^CREATE TABLE members \(/m);
  });
});
