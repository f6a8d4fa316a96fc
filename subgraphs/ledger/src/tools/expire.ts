import { expireDueLots } from "../expiry/expiry.service";
import { postingTime } from "../rules";
import { nowFromArgs, runLedgerTool } from "./ledger-database";

/** `npm run ledger:expire [-- --now ISO [--allow-future]]`: posts the expiry of every lot past its date. Safe to schedule. */
runLedgerTool(module, async (dataSource) => {
  const clock = new Date();
  const now = nowFromArgs(process.argv, clock);
  // Lots due by --now expire; their breakage is posted when this run writes it, never in a past month.
  const run = await expireDueLots(dataSource, now, postingTime(now, clock));
  console.log(`Expired ${run.points} points in ${run.lots} lots of ${run.members} members (as of ${now.toISOString()}).`);
});
