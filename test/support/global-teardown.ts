import { SUBGRAPH_NAMES, withDatabase } from "../../shared/src/config";
import { dropDatabase } from "../../shared/src/database";
import type { PostgresServer } from "../../tools/stack/postgres";
import type { Stack } from "../../tools/stack/services";

export default async function globalTeardown() {
  const { stack, postgres, suffix, databaseUrl } = (globalThis as Record<string, unknown>).__coalition as {
    stack: Stack;
    postgres: PostgresServer | null;
    suffix: string;
    databaseUrl: string;
  };
  await stack.stop();
  if (postgres) {
    await postgres.stop();
  } else {
    // A shared server: leave it as we found it.
    for (const name of SUBGRAPH_NAMES) await dropDatabase(withDatabase(databaseUrl, `coalition_${name}${suffix}`));
  }
}
