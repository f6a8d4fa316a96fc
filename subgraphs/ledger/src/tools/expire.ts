import { expireDueLots } from "../expiry/expiry.service";
import { nowFromArgs, runLedgerTool } from "./ledger-database";

/** `npm run ledger:expire [-- --now ISO [--allow-future]]`: posts the expiry of every lot past its date. Safe to schedule. */
runLedgerTool(module, async (dataSource) => {
  const now = nowFromArgs();
  const run = await expireDueLots(dataSource, now);
  console.log(`Expired ${run.points} points in ${run.lots} lots of ${run.members} members (as of ${now.toISOString()}).`);
});
