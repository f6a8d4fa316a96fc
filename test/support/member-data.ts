import { Client } from "pg";
import { SUBGRAPH_NAMES, type SubgraphName, withDatabase } from "../../shared/src/config";

/** Straight SQL on one service's test database (for checks a client cannot make: what is stored). */
export async function dbQuery<T = Record<string, any>>(service: SubgraphName, sql: string, params: unknown[] = [], suffix = process.env.TEST_DATABASE_NAME_SUFFIX!): Promise<T[]> {
  const client = new Client({ connectionString: withDatabase(process.env.TEST_DATABASE_URL!, `coalition_${service}${suffix}`) });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Every base table of a service's database with a column of this name. */
export async function tablesWithColumn(service: SubgraphName, column: string, suffix?: string): Promise<string[]> {
  const rows = await dbQuery<{ table_name: string }>(
    service,
    `SELECT c.table_name FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
     WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.column_name = $1 ORDER BY 1`,
    [column],
    suffix,
  );
  return rows.map((row) => row.table_name);
}

/**
 * Where a text appears in any row of any table of any service's database (case-insensitive, any
 * column: each row is read as its whole text form): "service.table" for each table holding it.
 */
export async function whereStored(needle: string, suffix = process.env.TEST_DATABASE_NAME_SUFFIX!): Promise<string[]> {
  const found: string[] = [];
  for (const service of SUBGRAPH_NAMES) {
    const client = new Client({ connectionString: withDatabase(process.env.TEST_DATABASE_URL!, `coalition_${service}${suffix}`) });
    await client.connect();
    try {
      const { rows: tables } = await client.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`);
      for (const { table_name: table } of tables) {
        const { rows } = await client.query(`SELECT EXISTS (SELECT 1 FROM "${table}" t WHERE strpos(lower(t::text), lower($1)) > 0) AS found`, [needle]);
        if (rows[0].found) found.push(`${service}.${table}`);
      }
    } finally {
      await client.end();
    }
  }
  return found;
}
