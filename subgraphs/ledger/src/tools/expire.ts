import { expireDueLots } from "../expiry/expiry.service";
import { nowFromArgs, openLedgerDatabase } from "./ledger-database";

/** `npm run ledger:expire [-- --now ISO]`: posts the expiry of every lot past its date. Safe to schedule. */
async function main() {
  const now = nowFromArgs();
  const dataSource = await openLedgerDatabase();
  try {
    const run = await expireDueLots(dataSource, now);
    console.log(`Expired ${run.points} points in ${run.lots} lots of ${run.members} members (as of ${now.toISOString()}).`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
