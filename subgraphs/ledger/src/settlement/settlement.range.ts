import { badInput } from "../../../../shared/src/errors";
import { DAY_MS } from "../rules";

export const MAX_SETTLEMENT_DAYS = 366;

/** A settlement period: `from` before `to`, at most 366 days long (a leap year). */
export function requireSettlementRange(from: Date, to: Date): { from: Date; to: Date } {
  if (!(from.getTime() < to.getTime())) {
    throw badInput(`from must be before to (the period includes from and excludes to), got from ${from.toISOString()} and to ${to.toISOString()}`, "from");
  }
  if (to.getTime() - from.getTime() > MAX_SETTLEMENT_DAYS * DAY_MS) {
    throw badInput(`The period from ${from.toISOString()} to ${to.toISOString()} is longer than ${MAX_SETTLEMENT_DAYS} days: ask for it in shorter periods`, "to");
  }
  return { from, to };
}
