import { createLogger } from "../../../../shared/src/logger";
import { expireDueLots } from "../expiry/expiry.service";
import { postingTime } from "../rules";
import { nowFromArgs, runLedgerTool } from "./ledger-database";

/**
 * `npm run ledger:expire [-- --now ISO [--allow-future]]`: posts the expiry of every lot past its date.
 * Safe to schedule. Exit 1 when some members' expiry failed (each logged; everyone else expired, and the
 * next run tries them again), 2 when the run could not finish (the database unreachable).
 */
runLedgerTool(module, async (dataSource) => {
  const clock = new Date();
  const now = nowFromArgs(process.argv, clock);
  // Lots due by --now expire; their breakage is posted when this run writes it, never in a past month.
  const run = await expireDueLots(dataSource, now, createLogger("ledger-tools"), { postedAt: postingTime(now, clock) });
  const failed = run.failed ? `; ${run.failed} ${run.failed === 1 ? "member" : "members"} failed (logged above), left for the next run` : "";
  console.log(`Expired ${run.points} points in ${run.lots} lots of ${run.members} members (as of ${now.toISOString()})${failed}.`);
  process.exitCode = run.failed ? 1 : 0;
});
