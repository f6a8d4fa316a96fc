import { signToken } from "../../shared/src/auth/jwt";
import { SUBGRAPH_NAMES, withDatabase } from "../../shared/src/config";
import { dropDatabase } from "../../shared/src/database";
import { bearer } from "../../tools/stack/graphql-client";
import { type Stack, startStack } from "../../tools/stack/services";

/**
 * Test stacks run without load shedding, and detect a stalled subgraph only after 10 s: on a shared
 * machine, tests that fire 100 requests at once (races, deadlocks) would see OVERLOADED or an open
 * breaker where they test something else. test/overload.test.ts and test/faults.test.ts set them back.
 */
export const TEST_STACK_NO_SHEDDING = { GATEWAY_MAX_IN_FLIGHT: "0", SUBGRAPH_MAX_IN_FLIGHT: "0", DB_POOL_MAX_WAITING: "1000000", BREAKER_STALL_MS: "10000" };

export interface DedicatedStack {
  readonly stack: Stack;
  /** Bearer header of an admin of this stack. */
  admin(): Record<string, string>;
  /** The suffix of this stack's databases. */
  suffix: string;
}

/**
 * A stack of its own for one test file (its services are killed, or configured differently), on the
 * run's Postgres with databases of its own, dropped afterwards. `env` may be a function, read when the
 * stack starts (after the file's earlier beforeAll hooks).
 */
export function useDedicatedStack(name: string, env: NodeJS.ProcessEnv | (() => NodeJS.ProcessEnv) = {}): DedicatedStack {
  const suffix = `_${name}_${process.pid}`;
  let stack: Stack | undefined;
  beforeAll(async () => {
    stack = await startStack({
      env: { ...process.env, DATABASE_URL: process.env.TEST_DATABASE_URL, DATABASE_NAME_SUFFIX: suffix, LOG_LEVEL: "warn", ...TEST_STACK_NO_SHEDDING, ...(typeof env === "function" ? env() : env) },
      freePorts: true,
      logFile: process.env.TEST_SERVICES_LOG,
    });
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
    // At once: each DROP DATABASE waits for a checkpoint, and concurrent ones share it.
    await Promise.all(SUBGRAPH_NAMES.map((subgraph) => dropDatabase(withDatabase(process.env.TEST_DATABASE_URL!, `coalition_${subgraph}${suffix}`))));
  });
  return {
    get stack() {
      if (!stack) throw new Error("The dedicated stack is not running (used outside a test?)");
      return stack;
    },
    admin: () => bearer(signToken({ sub: "test-admin", role: "admin" }, stack!.env.JWT_SECRET!)),
    suffix,
  };
}
