import { once } from "node:events";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "pg";
import { withDatabase } from "../shared/src/config";
import { asksToRetry, requestGraphQL } from "../tools/stack/graphql-client";
import { type Outcome, contractCall } from "./support/contract-client";
import { expectCatalogConsistent } from "./support/consistency";
import { useDedicatedStack } from "./support/dedicated-stack";
import { eventually } from "./support/eventually";
import { expectLedgerConsistent } from "./support/ledger";

/**
 * Issue 20, item 7: under concurrent load (purchases, redemptions, profile reads from 8 clients that
 * follow the README's contract), the ledger is killed and restarted, the catalog frozen (SIGSTOP)
 * and thawed, and the ledger's database refuses connections and drops every open one for a few
 * seconds (a database restart as the services see it; the run's Postgres serves other test files,
 * so it is not itself restarted). Clients are only ever told a retryable code or a final answer,
 * never INTERNAL_SERVER_ERROR; every operation resolves, exactly once, by retries with the same
 * keys; the books agree; and no process but the killed one is restarted.
 */
const MEMBERS = 12;
const START_POINTS = 500;
const PURCHASE_POINTS = 10; // 1 000 minor units at 1 point per unit
const COST = 10;

describe("faults under load", () => {
  // The services' output, to check what an outage writes to the logs.
  const logFile = join(mkdtempSync(join(tmpdir(), "faults-")), "services.log");
  const previousLog = process.env.TEST_SERVICES_LOG;
  beforeAll(() => void (process.env.TEST_SERVICES_LOG = logFile));
  afterAll(() => void (process.env.TEST_SERVICES_LOG = previousLog));
  const dedicated = useDedicatedStack("faults", {
    RATE_LIMIT_PER_MINUTE: "100000",
    // The production defaults of load shedding (the test stacks turn it off).
    GATEWAY_MAX_IN_FLIGHT: "64",
    SUBGRAPH_MAX_IN_FLIGHT: "256",
    DB_POOL_MAX_WAITING: "128",
    SERVICE_CALL_TIMEOUT_MS: "1000",
    SUBGRAPH_TIMEOUT_MS: "6500", // more than 6 × SERVICE_CALL_TIMEOUT_MS (LONGEST_CALL_CHAIN)
    BREAKER_STALL_MS: "1000",
    BREAKER_OPEN_MS: "500",
    DB_CONNECT_TIMEOUT_MS: "1000",
    REDEMPTION_RECOVERY_AFTER_SECONDS: "2",
    REDEMPTION_SWEEP_SECONDS: "1",
  });
  const call = (query: string, variables: Record<string, unknown> = {}) => requestGraphQL<any>(dedicated.stack.gatewayUrl, query, variables, dedicated.admin());
  const options = <T>(extra: { inProgress?: (data: T) => boolean } = {}) => ({ url: dedicated.stack.gatewayUrl, headers: dedicated.admin(), deadlineMs: 60_000, ...extra });

  const PURCHASE = `mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { id points } }`;
  const REDEEM = `mutation($input: RedeemRewardInput!) { redeemReward(input: $input) { id status } }`;
  const PROFILE = `query($id: ID!) { member(id: $id) { displayName balance { available } } }`;

  let partnerId: string;
  let rewardId: string;
  const members: string[] = [];

  beforeAll(async () => {
    ({ registerPartner: { id: partnerId } } = await call(`mutation { registerPartner(input: { slug: "faults", name: "F", category: OTHER, pointsPerUnit: 1, currency: "EUR", returnWindowDays: 0 }) { id } }`));
    ({ createReward: { id: rewardId } } = await call(`mutation($p: ID!) { createReward(input: { partnerId: $p, title: "R", description: "R", costPoints: ${COST}, minimumTier: BASE, stock: 100000 }) { id } }`, { p: partnerId }));
    for (let i = 0; i < MEMBERS; i++) {
      const { enrollMember } = await call(`mutation($e: String!) { enrollMember(input: { email: $e, displayName: "M${i}" }) { id } }`, { e: `fault-${i}@example.com` });
      members.push(enrollMember.id);
      await call(PURCHASE, { input: { partnerId, memberId: enrollMember.id, amountMinor: START_POINTS * 100, currency: "EUR", reference: `start-${i}` } });
    }
  }, 60_000);

  const databaseAdmin = async <T>(sql: string) => {
    const client = new Client({ connectionString: withDatabase(process.env.TEST_DATABASE_URL!, "postgres") });
    await client.connect();
    try {
      return (await client.query(sql)).rows as T[];
    } finally {
      await client.end();
    }
  };
  const catalogRows = async (sql: string): Promise<any[]> => {
    const c = new Client({ connectionString: withDatabase(process.env.TEST_DATABASE_URL!, `coalition_catalog${dedicated.suffix}`) });
    await c.connect();
    try {
      return (await c.query(sql)).rows;
    } finally {
      await c.end();
    }
  };
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const ready = async () => (await fetch(new URL("/ready", dedicated.stack.gatewayUrl))).status;
  const health = async () => (await fetch(new URL("/health", dedicated.stack.gatewayUrl))).status;

  it("kill, freeze, database outage: retryable codes only, every operation once, books right, no manual restart", async () => {
    const purchases: { member: number; outcome: Outcome<any> }[] = [];
    const redemptions: { member: number; key: string; outcome: Outcome<any> }[] = [];
    const reads: Outcome<any>[] = [];
    let running = true;
    const client = async (c: number) => {
      for (let n = 0; running; n++) {
        const member = (c + n) % MEMBERS;
        const memberId = members[member];
        if (n % 3 === 0) {
          const reference = `p-${c}-${n}`;
          const input = { partnerId, memberId, amountMinor: PURCHASE_POINTS * 100, currency: "EUR", reference };
          purchases.push({ member, outcome: await contractCall(PURCHASE, { input }, options()) });
        } else if (n % 3 === 1) {
          const key = `r-${c}-${n}`;
          const outcome = await contractCall<any>(REDEEM, { input: { memberId, rewardId, idempotencyKey: key } }, options({ inProgress: (d: any) => d.redeemReward?.status === "PENDING" }));
          redemptions.push({ member, key, outcome });
        } else {
          reads.push(await contractCall(PROFILE, { id: memberId }, options()));
        }
      }
    };
    const load = Promise.all(Array.from({ length: 8 }, (_, c) => client(c)));
    await sleep(1_500);

    // 1. The ledger killed: a profile still reads (its ledger fields null, retryable); readiness says so.
    const { ledger } = dedicated.stack.services;
    ledger.child.kill("SIGKILL");
    await once(ledger.child, "exit");
    const profile = await fetch(dedicated.stack.gatewayUrl, {
      method: "POST",
      headers: { "content-type": "application/json", ...dedicated.admin() },
      body: JSON.stringify({ query: PROFILE, variables: { id: members[0] } }),
    });
    expect(profile.status).toBe(200);
    const body = (await profile.json()) as any;
    expect(body.data.member).toEqual({ displayName: "M0", balance: null });
    expect(body.errors.map((e: any) => e.extensions.code)).toEqual(["UPSTREAM_UNAVAILABLE"]);
    expect(body.errors[0].path).toEqual(["member", "balance"]); // the error says which null it explains
    // A list: each member's ledger field its own error, at its own path.
    const list = (await (await fetch(dedicated.stack.gatewayUrl, {
      method: "POST",
      headers: { "content-type": "application/json", ...dedicated.admin() },
      body: JSON.stringify({ query: `{ members(first: 3) { displayName balance { available } } }` }),
    })).json()) as any;
    expect(list.data.members.map((m: any) => m.balance)).toEqual([null, null, null]);
    expect(list.errors.map((e: any) => [e.path, e.extensions.code])).toEqual([0, 1, 2].map((i) => [["members", i, "balance"], "UPSTREAM_UNAVAILABLE"]));
    // Fields that @requires the ledger's (`dataExport` needs the @inaccessible `ledgerDataExport`,
    // `eligibleRewards` the member's `tier` and balance): the error moves from the fields the gateway
    // fetched for itself, which the client never asked for, to each asked field they left null. An alias too.
    const needing = (await (await fetch(dedicated.stack.gatewayUrl, {
      method: "POST",
      headers: { "content-type": "application/json", ...dedicated.admin() },
      body: JSON.stringify({ query: `query($id: ID!) { member(id: $id) { displayName dataExport rewards: eligibleRewards { id } } }`, variables: { id: members[0] } }),
    })).json()) as any;
    expect(needing.data.member).toEqual({ displayName: "M0", dataExport: null, rewards: null });
    const ledgerDown = { message: "The ledger service is unavailable; try again shortly", extensions: { code: "UPSTREAM_UNAVAILABLE", serviceName: "ledger" } };
    expect(needing.errors).toEqual([{ ...ledgerDown, path: ["member", "dataExport"] }, { ...ledgerDown, path: ["member", "rewards"] }]);
    expect(await ready()).toBe(503);
    expect(await health()).toBe(200);
    await sleep(2_000);
    await dedicated.stack.restart("ledger");
    await eventually(async () => ((await ready()) === 200 ? true : undefined));
    await sleep(1_500); // load on a healthy stack between faults

    // 2. The catalog frozen: once the gateway sees it stalled, calls to it fail fast (not after the 6 s timeout).
    const { catalog } = dedicated.stack.services;
    catalog.child.kill("SIGSTOP");
    await sleep(2_500);
    const started = performance.now();
    const frozen = await fetch(dedicated.stack.gatewayUrl, {
      method: "POST",
      headers: { "content-type": "application/json", ...dedicated.admin() },
      body: JSON.stringify({ query: REDEEM, variables: { input: { memberId: members[1], rewardId, idempotencyKey: "while-frozen" } } }),
    });
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(frozen.status).toBe(503);
    expect(((await frozen.json()) as any).errors.map((e: any) => e.extensions.code)).toEqual(["UPSTREAM_UNAVAILABLE"]);
    await sleep(2_000);
    catalog.child.kill("SIGCONT");
    await eventually(async () => ((await ready()) === 200 ? true : undefined));
    await sleep(1_500);

    // 3. The ledger's database away for 3 s: open connections dropped, new ones refused.
    const database = `coalition_ledger${dedicated.suffix}`;
    await databaseAdmin(`ALTER DATABASE "${database}" ALLOW_CONNECTIONS false`);
    await databaseAdmin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${database}'`);
    await sleep(3_000);
    await databaseAdmin(`ALTER DATABASE "${database}" ALLOW_CONNECTIONS true`);
    await sleep(2_000);
    running = false;
    await load;

    // What clients were told: final answers or retryable codes, never INTERNAL_SERVER_ERROR; no attempt hung.
    const all = [...purchases.map((p) => p.outcome), ...redemptions.map((r) => r.outcome), ...reads];
    const attempts = all.flatMap((o) => o.attempts);
    expect(attempts.filter((a) => a.codes.includes("INTERNAL_SERVER_ERROR"))).toEqual([]);
    expect(Math.max(...attempts.map((a) => a.ms))).toBeLessThan(6_500 + 1_000);
    for (const attempt of attempts.filter((a) => asksToRetry(a.codes) && !a.partial)) {
      expect(attempt).toMatchObject({ status: 503, retryAfter: "1" });
    }
    expect(attempts.some((a) => a.codes.includes("UPSTREAM_UNAVAILABLE"))).toBe(true); // the faults were felt
    expect(purchases.length).toBeGreaterThanOrEqual(8); // and there was load to feel them
    expect(redemptions.length).toBeGreaterThanOrEqual(8);
    // Every operation resolved (no client looped until its deadline), to a success or a business answer.
    expect(all.filter((o) => !o.resolved).length).toBe(0);
    for (const { outcome } of purchases) expect(outcome.codes).toEqual([]);
    for (const { outcome } of redemptions) expect(outcome.codes.every((code) => code === "INSUFFICIENT_POINTS")).toBe(true);

    const codes = new Map<string, number>();
    for (const a of attempts) for (const code of a.status === 0 ? ["NO_ANSWER"] : a.codes.length ? a.codes : ["ok"]) codes.set(code, (codes.get(code) ?? 0) + 1);
    process.stderr.write(`faults: ${purchases.length} purchases, ${redemptions.length} redemptions, ${reads.length} reads; attempts by answer ${JSON.stringify(Object.fromEntries(codes))}; slowest ${Math.round(Math.max(...attempts.map((a) => a.ms)))} ms\n`);

    // Exactly once: each member's points are the start, plus each purchase once, less each completed redemption once.
    await eventually(async () => ((await catalogRows(`SELECT count(*)::int AS n FROM redemptions WHERE status = 'PENDING'`))[0].n === 0 ? true : undefined), 30_000);
    const current = await catalogRows(`SELECT idempotency_key, status FROM redemptions WHERE superseded_by IS NULL AND idempotency_key LIKE 'r-%'`);
    const statusOfKey = new Map(current.map((r: any) => [r.idempotency_key, r.status]));
    for (const { key, outcome } of redemptions) {
      if (outcome.codes.length) expect(statusOfKey.get(key)).toBeUndefined(); // refused before anything was written
      else expect([key, statusOfKey.get(key)]).toEqual([key, outcome.data.redeemReward.status]);
    }
    for (let m = 0; m < MEMBERS; m++) {
      const earned = purchases.filter((p) => p.member === m).length * PURCHASE_POINTS;
      const spent = redemptions.filter((r) => r.member === m && r.outcome.data?.redeemReward?.status === "COMPLETED").length * COST;
      const { member } = await call(`query($id: ID!) { member(id: $id) { balance { available held } } }`, { id: members[m] });
      expect([m, member.balance]).toEqual([m, { available: START_POINTS + earned - spent, held: 0 }]);
    }
    await expectLedgerConsistent(dedicated.suffix);
    await expectCatalogConsistent(dedicated.suffix);
    // Logs: one line per failure, never a stack trace (an outage must not flood the logs).
    const lines = readFileSync(logFile, "utf8").split("\n").filter((line) => line.startsWith("{"));
    process.stderr.write(`faults: ${lines.length} log lines at warn and above\n`);
    expect(lines.filter((line) => /\\n\s+at /.test(line))).toEqual([]);
    expect(lines.length).toBeLessThan(attempts.length * 3);
    // Nothing but the killed ledger was restarted: the others are the processes the stack started.
    for (const name of ["gateway", "members", "partners", "catalog"] as const) expect(dedicated.stack.services[name].child.exitCode).toBeNull();
  }, 150_000);

  it("a redemption that failed because the ledger crashed mid-saga: the same key, retried, completes it once", async () => {
    const memberId = members[MEMBERS - 1];
    const before = (await call(PROFILE, { id: memberId })).member.balance.available;
    // The ledger dies right after placing the hold, before answering: the catalog cannot release it either.
    await dedicated.stack.restart("ledger", { LEDGER_CRASH_AT: "after-hold" });
    const input = { memberId, rewardId, idempotencyKey: "retried-after-outage" };
    const first = await fetch(dedicated.stack.gatewayUrl, {
      method: "POST",
      headers: { "content-type": "application/json", ...dedicated.admin() },
      body: JSON.stringify({ query: REDEEM, variables: { input } }),
    });
    expect(first.status).toBe(503);
    expect(((await first.json()) as any).errors.map((e: any) => e.extensions.code)).toEqual(["UPSTREAM_UNAVAILABLE"]);
    const { ledger } = dedicated.stack.services;
    if (ledger.child.exitCode === null && ledger.child.signalCode === null) await once(ledger.child, "exit");
    await dedicated.stack.restart("ledger", { LEDGER_CRASH_AT: "" });
    // The sweep settles the interrupted one as FAILED (UPSTREAM_UNAVAILABLE); the retry redeems again.
    await eventually(async () => {
      const [row] = await catalogRows(`SELECT status FROM redemptions WHERE idempotency_key = 'retried-after-outage'`);
      return row?.status === "FAILED" ? true : undefined;
    }, 20_000);
    const retried = await contractCall<any>(REDEEM, { input }, options({ inProgress: (d: any) => d.redeemReward?.status === "PENDING" }));
    expect(retried).toMatchObject({ resolved: true, codes: [], data: { redeemReward: { status: "COMPLETED" } } });
    const again = await contractCall<any>(REDEEM, { input }, options());
    expect(again.data.redeemReward).toEqual(retried.data.redeemReward);
    const rows = await catalogRows(`SELECT id, status, failure_reason, superseded_by FROM redemptions WHERE idempotency_key = 'retried-after-outage' ORDER BY created_at`);
    expect(rows).toEqual([
      { id: expect.any(String), status: "FAILED", failure_reason: "UPSTREAM_UNAVAILABLE", superseded_by: retried.data.redeemReward.id },
      { id: retried.data.redeemReward.id, status: "COMPLETED", failure_reason: null, superseded_by: null },
    ]);
    expect((await call(PROFILE, { id: memberId })).member.balance.available).toBe(before - COST);
    await expectLedgerConsistent(dedicated.suffix);
    await expectCatalogConsistent(dedicated.suffix);
  }, 60_000);

  it("a frozen ledger leaves the catalog's own reads alone: its redemptions give up on the ledger before the gateway would take the catalog for frozen", async () => {
    await eventually(async () => ((await ready()) === 200 ? true : undefined));
    const post = async (query: string, variables: Record<string, unknown>) => {
      const answer = await fetch(dedicated.stack.gatewayUrl, { method: "POST", headers: { "content-type": "application/json", ...dedicated.admin() }, body: JSON.stringify({ query, variables }) });
      const body = (await answer.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
      return { status: answer.status, data: body.data, codes: body.errors?.map((e) => e.extensions?.code) };
    };
    const { ledger } = dedicated.stack.services;
    ledger.child.kill("SIGSTOP");
    try {
      // Only redemptions in flight to the catalog, each waiting on the frozen ledger (BREAKER_STALL_MS 1 s here,
      // so the catalog gives up on the ledger after about 0.67-0.83 s; the gateway would take the catalog for frozen at 1 s).
      const redemptions = members.slice(0, 8).map((memberId, i) => post(REDEEM, { input: { memberId, rewardId, idempotencyKey: `frozen-ledger-${i}` } }));
      await sleep(1_300);
      expect(await post(`query($id: ID!) { reward(id: $id) { title } }`, { id: rewardId })).toEqual({ status: 200, data: { reward: { title: "R" } }, codes: undefined });
      for (const answer of await Promise.all(redemptions)) expect(answer).toMatchObject({ status: 503, codes: ["UPSTREAM_UNAVAILABLE"] });
    } finally {
      ledger.child.kill("SIGCONT");
    }
    await eventually(async () => ((await ready()) === 200 ? true : undefined));
    await eventually(async () => ((await catalogRows(`SELECT 1 FROM redemptions WHERE idempotency_key LIKE 'frozen-ledger-%' AND status = 'PENDING'`)).length ? undefined : true), 20_000);
    await expectLedgerConsistent(dedicated.suffix);
    await expectCatalogConsistent(dedicated.suffix);
  }, 60_000);

  it("a slow ledger that still answers is waited for, not taken for frozen: a purchase held on a lock past BREAKER_STALL_MS succeeds", async () => {
    await eventually(async () => ((await ready()) === 200 ? true : undefined));
    const breakerOpenings = async () => Number(/^coalition_circuit_breaker_opened_total (\d+)/m.exec(await (await fetch(new URL("/metrics", dedicated.stack.gatewayUrl))).text())?.[1] ?? 0);
    const openedBefore = await breakerOpenings();
    // The only call in flight to the ledger waits 2 s on a lock (BREAKER_STALL_MS is 1 s here, the lock timeout 5 s):
    // nothing comes back meanwhile, yet the ledger and its database answer its /health, so the gateway must keep waiting.
    const ledgerDatabase = new Client({ connectionString: withDatabase(process.env.TEST_DATABASE_URL!, `coalition_ledger${dedicated.suffix}`) });
    await ledgerDatabase.connect();
    try {
      await ledgerDatabase.query("BEGIN");
      await ledgerDatabase.query("LOCK TABLE purchases IN EXCLUSIVE MODE");
      const started = performance.now();
      const input = { partnerId, memberId: members[0], amountMinor: PURCHASE_POINTS * 100, currency: "EUR", reference: "held-on-a-lock" };
      const answer = fetch(dedicated.stack.gatewayUrl, { method: "POST", headers: { "content-type": "application/json", ...dedicated.admin() }, body: JSON.stringify({ query: PURCHASE, variables: { input } }) });
      await sleep(2_000);
      await ledgerDatabase.query("COMMIT");
      const response = await answer;
      const body = (await response.json()) as any;
      expect({ status: response.status, errors: body.errors, points: body.data?.recordPurchase?.points }).toEqual({ status: 200, errors: undefined, points: PURCHASE_POINTS });
      expect(performance.now() - started).toBeGreaterThanOrEqual(2_000);
    } finally {
      await ledgerDatabase.end();
    }
    expect(await breakerOpenings()).toBe(openedBefore);
  }, 60_000);
});
