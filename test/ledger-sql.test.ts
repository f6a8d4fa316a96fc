import { Client } from "pg";
import { withDatabase } from "../shared/src/config";
import { LEDGER_FUNCTIONS } from "../subgraphs/ledger/src/sql";

/**
 * Every database function that encodes a rule is what its one definition in subgraphs/ledger/src/sql
 * says: same arguments, result, body and settings (pg_get_function_arguments, pg_get_function_result, prosrc, proconfig).
 * A rule changed in the module without a migration that installs it fails here.
 */
describe("the ledger database's functions are their definitions", () => {
  let client: Client;
  beforeAll(async () => {
    client = new Client({ connectionString: withDatabase(process.env.TEST_DATABASE_URL!, `coalition_ledger${process.env.TEST_DATABASE_NAME_SUFFIX}`) });
    await client.connect();
  });
  afterAll(() => client.end());

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
