import { Client } from "pg";
import { withDatabase } from "../shared/src/config";
import { withinAfterWindow, withinAfterWindowSql } from "../subgraphs/ledger/src/rules";
import { LEDGER_FUNCTIONS } from "../subgraphs/ledger/src/sql";

let client: Client;
beforeAll(async () => {
  client = new Client({ connectionString: withDatabase(process.env.TEST_DATABASE_URL!, `coalition_ledger${process.env.TEST_DATABASE_NAME_SUFFIX}`) });
  await client.connect();
});
afterAll(() => client.end());

/**
 * Every database function that encodes a rule is what its one definition in subgraphs/ledger/src/sql
 * says: same arguments, result, body and settings (pg_get_function_arguments, pg_get_function_result, prosrc, proconfig).
 * A rule changed in the module without a migration that installs it fails here.
 */
describe("the ledger database's functions are their definitions", () => {
  it.each(LEDGER_FUNCTIONS.map((f) => [f.name, f] as const))("%s", async (name, definition) => {
    const { rows } = await client.query(
      `SELECT pg_get_function_arguments(p.oid) AS arguments, pg_get_function_result(p.oid) AS returns, l.lanname AS language, p.prosrc AS body, coalesce(p.proconfig, '{}') AS settings
       FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang JOIN pg_namespace n ON n.oid = p.pronamespace
       WHERE p.proname = $1 AND n.nspname = 'public'`,
      [name],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toEqual({ arguments: definition.arguments, returns: definition.returns, language: definition.language, body: definition.body, settings: definition.settings ?? [] });
  });
});

/**
 * A rule's SQL fragment gives what its function gives, whatever the session's time zone (a
 * DATABASE_URL server need not run in UTC): the cross-brand window across Europe's DST end.
 */
describe("rule fragments evaluated by Postgres agree with their functions", () => {
  it.each(["UTC", "Europe/Paris", "America/New_York"])("the cross-brand window is N × 24 h in time zone %s", async (zone) => {
    await client.query(`SET TimeZone = '${zone}'`);
    const purchase = "2026-10-27T12:00:00Z"; // two days after Paris's DST end, five before New York's
    for (const [prior, days] of [["2026-10-20T11:30:00Z", 7], ["2026-10-20T12:00:00Z", 7], ["2026-10-20T12:30:00Z", 7], ["2026-10-26T12:00:00Z", 1], ["2026-11-03T12:00:00Z", 7]] as const) {
      const { rows } = await client.query(`SELECT ${withinAfterWindowSql("$1::timestamptz", "$2::timestamptz", "$3::int")} AS within`, [prior, purchase, days]);
      expect([prior, days, rows[0].within]).toEqual([prior, days, withinAfterWindow(new Date(prior), new Date(purchase), days)]);
    }
  });
});
