import { appError } from "../../../../shared/src/errors";

/** The SQLSTATE the valuation trigger raises when a PREPAID issuer would pass its allowance (sql/clearing.ts). */
export const PREPAID_ALLOWANCE_SQLSTATE = "CLPRE";

export const prepaidAllowanceExceeded = () =>
  appError(
    "LIMIT_EXCEEDED",
    "The partner's prepaid points allowance does not cover these points; nothing was recorded (an admin tops it up with addPrepaidPoints)",
    { limit: "prepaidPointsRemaining" },
  );

/** True for the database's refusal of a movement past a PREPAID issuer's allowance (TypeORM wraps pg's error). */
export function isPrepaidAllowanceExceeded(error: unknown): boolean {
  for (let e = error as { code?: unknown; driverError?: unknown } | undefined, depth = 0; e && depth < 3; depth++) {
    if (e.code === PREPAID_ALLOWANCE_SQLSTATE) return true;
    e = e.driverError as typeof e;
  }
  return false;
}

/** Awaits a write, turning the allowance refusal into LIMIT_EXCEEDED (the transaction it ran in is rolled back by its owner). */
export async function refusingPastPrepaidAllowance<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    throw isPrepaidAllowanceExceeded(error) ? prepaidAllowanceExceeded() : error;
  }
}
