import { createLogger } from "../../../../shared/src/logger";
import { describeExpiryRun, expireDueLots } from "../expiry/expiry.service";
import { postingTime } from "../rules";
import { nowFromArgs, runLedgerTool } from "./ledger-database";

/**
 * `npm run ledger:expire [-- --now ISO [--allow-future]]`: posts the expiry of every lot past its date.
 * Safe to schedule. Exit 1 when some members' expiry failed (the first 20 logged each, the others
 * counted in one line; everyone else expired, and the next run tries them again), 2 when the run could not finish (the database unreachable).
 */
runLedgerTool(module, async (dataSource) => {
  const clock = new Date();
  const now = nowFromArgs(process.argv, clock);
  // Lots due by --now expire; their breakage is posted when this run writes it, never in a past month.
  const run = await expireDueLots(dataSource, now, createLogger("ledger-tools"), { postedAt: postingTime(now, clock) });
  console.log(describeExpiryRun(run, now));
  process.exitCode = run.failed ? 1 : 0;
});
