import { isDatabaseUnavailable, isDatabaseUnreachable } from "../../shared/src/errors";

/**
 * The expiry run goes on past a member whose transaction failed but stops when the database is
 * unreachable (README, The ledger, Expiry): isDatabaseUnreachable is isDatabaseUnavailable less the
 * transactions Postgres ended on its own while it stays up.
 */
const pgError = (code: string, message: string, severity = "ERROR") => Object.assign(new Error(message), { code, severity });
const queryFailed = (code: string, message: string) => Object.assign(new Error(message), { name: "QueryFailedError", driverError: pgError(code, message) });

const unreachable: Record<string, Error> = {
  refused: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }),
  reset: Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }),
  terminated: pgError("57P01", "terminating connection due to administrator command", "FATAL"),
  startingUp: pgError("57P03", "the database system is starting up", "FATAL"),
  tooManyConnections: pgError("53300", "sorry, too many clients already", "FATAL"),
  connectionClass: pgError("08006", "connection failure"),
  lostMidQuery: new Error("Connection terminated unexpectedly"),
  poolTimeout: new Error("timeout exceeded when trying to connect"),
  released: Object.assign(new Error("Database connection provided by a query runner was already released"), { name: "QueryRunnerAlreadyReleasedError" }),
};
const oneTransaction: Record<string, Error> = {
  deadlock: queryFailed("40P01", "deadlock detected"),
  serialization: queryFailed("40001", "could not serialize access due to concurrent update"),
  lockTimeout: queryFailed("55P03", "canceling statement due to lock timeout"),
  statementTimeout: queryFailed("57014", "canceling statement due to statement timeout"),
};
const notTheDatabase: Record<string, Error> = {
  raised: queryFailed("P0001", "raised by a trigger"),
  uniqueViolation: queryFailed("23505", "duplicate key value violates unique constraint"),
  bug: new TypeError("Cannot read properties of undefined"),
};

describe("isDatabaseUnreachable", () => {
  it.each(Object.keys(unreachable))("unreachable: %s", (name) => {
    expect([isDatabaseUnreachable(unreachable[name]), isDatabaseUnavailable(unreachable[name])]).toEqual([true, true]);
  });
  it.each(Object.keys(oneTransaction))("one transaction's failure (a retry may cure it): %s", (name) => {
    expect([isDatabaseUnreachable(oneTransaction[name]), isDatabaseUnavailable(oneTransaction[name])]).toEqual([false, true]);
  });
  it.each(Object.keys(notTheDatabase))("neither: %s", (name) => {
    expect([isDatabaseUnreachable(notTheDatabase[name]), isDatabaseUnavailable(notTheDatabase[name])]).toEqual([false, false]);
  });
});
