import { resolve } from "node:path";
import { EMBEDDED_PGPORT_DEFAULT, REPO_ROOT, intFromEnv } from "../config";
import { createLogger } from "../logger";
import { stopOnSignals } from "../shutdown";
import { DEMO_MEMBER_EMAIL, isEmpty, seedDemo } from "./demo-seed";
import { type PostgresServer, startEmbeddedPostgres } from "./postgres";
import { type Stack, startStack } from "./services";

/**
 * `npm start`: Postgres (embedded unless DATABASE_URL is set), the four subgraphs and the gateway,
 * a demo coalition on an empty database, and a clean stop on Ctrl-C.
 */
const log = createLogger("coalition");

async function main() {
  let postgres: PostgresServer | null = null;
  let stack: Stack | null = null;
  stopOnSignals(log, async () => {
    await stack?.stop();
    await postgres?.stop().catch((error) => log.warn("postgres stop", { error }));
  });

  const env: NodeJS.ProcessEnv = { ...process.env, APOLLO_TELEMETRY_DISABLED: "1" };
  if (!env.DATABASE_URL) {
    const dataDir = resolve(REPO_ROOT, env.DATA_DIR || ".data", "postgres");
    const port = intFromEnv("PGPORT", EMBEDDED_PGPORT_DEFAULT);
    postgres = await startEmbeddedPostgres({ dataDir, port, persistent: true, log });
    env.DATABASE_URL = postgres.url;
    log.info("embedded Postgres running", { port, dataDir });
  }
  stack = await startStack({ env });
  if (stack.generatedSecrets.length) {
    log.warn("generated development secrets for this run; set them in the environment to keep them", { names: stack.generatedSecrets });
  }
  if (await isEmpty(stack.gatewayUrl)) {
    log.info("empty database: seeding the demo coalition");
    await seedDemo(stack.gatewayUrl, log);
  }
  process.stdout.write(banner(stack.gatewayUrl));
}

function banner(url: string): string {
  return `
  Coalition is running.

  GraphQL gateway: ${url}
  Open it in a browser for Apollo Sandbox, or try:

  curl -s ${url} -H 'content-type: application/json' \\
    -d '{"query":"{ memberByEmail(email: \\"${DEMO_MEMBER_EMAIL}\\") { displayName balance { available pending } tier tierProgress { next pointsToNext } eligibleRewards(first: 3) { title costPoints } } }"}'

  Ctrl-C stops everything.

`;
}

main().catch((error) => {
  log.error("could not start", { error });
  process.exit(1);
});
