import { randomUUID } from "node:crypto";
import type { DataSource, EntityManager } from "typeorm";
import { withDatabase } from "../shared/src/config";
import { createDataSource } from "../shared/src/database";
import { createLogger } from "../shared/src/logger";
import { addMonths } from "../subgraphs/ledger/src/rules";
import { type PurchaseOutcome, type PurchaseToWrite, PurchaseWriter } from "../subgraphs/ledger/src/purchase/purchase-writer";
import { expectLedgerConsistent } from "./support/ledger";

/**
 * Group commit, against the test stack's ledger database: the writer is driven directly so that a burst
 * arrives in one tick and the database calls can be counted.
 */
let dataSource: DataSource;
const partnerId = randomUUID();

beforeAll(async () => {
  const url = withDatabase(process.env.TEST_DATABASE_URL!, `coalition_ledger${process.env.TEST_DATABASE_NAME_SUFFIX}`);
  dataSource = createDataSource({ url, entities: [], migrations: [], log: createLogger("test") });
  await dataSource.initialize();
});
afterAll(() => dataSource.destroy());
afterEach(() => expectLedgerConsistent());

/** The ledger's database, with each call's group size noted (and any transaction opened around calls). */
function countingWriter() {
  const groups: number[] = [];
  let transactions = 0;
  const manager = new Proxy(dataSource.manager, {
    get(target, property) {
      if (property === "transaction") transactions++;
      if (property !== "query") return Reflect.get(target, property);
      return (sql: string, parameters: unknown[][]) => {
        groups.push(parameters[0].length);
        return target.query(sql, parameters);
      };
    },
  }) as EntityManager;
  return { writer: new PurchaseWriter(manager, 2, 64), groups, transactions: () => transactions };
}

function purchase(memberId: string, overrides: Partial<PurchaseToWrite> = {}): PurchaseToWrite {
  const now = new Date();
  const reference = randomUUID();
  return {
    idempotencyKey: `purchase:${partnerId}:${reference}`,
    fingerprint: reference,
    memberId,
    partnerId,
    reference,
    amountMinor: 10_000,
    basePoints: 100,
    earnedAt: now,
    availableAt: now,
    expiresAt: addMonths(now, 24),
    memberVouched: true,
    receivedAt: now,
    tierAt: null,
    ...overrides,
  };
}

const entryOf = (outcome: PurchaseOutcome) => ("entry" in outcome ? outcome.entry : null);

async function balanceOf(memberId: string): Promise<number> {
  const [row] = await dataSource.query(`SELECT balance FROM accounts WHERE kind = 'MEMBER' AND owner_id = $1`, [memberId]);
  return Number(row.balance);
}

describe("purchase writer (group commit)", () => {
  it("writes a burst in a few calls, one purchase per member and key per call, each with its own outcome", async () => {
    const { writer, groups } = countingWriter();
    const repeat = randomUUID();
    const first = purchase(repeat);
    const burst = [first, ...Array.from({ length: 17 }, () => purchase(randomUUID())), purchase(repeat), purchase(repeat), { ...first }];
    const outcomes = await Promise.all(burst.map((p) => writer.write(p)));

    // The first two go at once (two groups at a time); the rest gather behind them.
    expect(groups.slice(0, 2)).toEqual([1, 1]);
    expect(groups.length).toBeLessThanOrEqual(6);
    expect(groups.reduce((a, b) => a + b, 0)).toBe(burst.length);
    expect(outcomes.slice(0, -1).map((o) => o.outcome)).toEqual(Array(burst.length - 1).fill("CREATED"));
    // The same key again is the first purchase's entry.
    expect(outcomes.at(-1)).toEqual({ outcome: "REPLAYED", entry: entryOf(outcomes[0]) });
    expect(new Set(outcomes.map((o) => entryOf(o)?.id)).size).toBe(burst.length - 1);
    expect(await balanceOf(repeat)).toBe(300);
  });

  it("answers a key used with other input as a conflict, and an unvouched member without an account as unknown", async () => {
    const { writer } = countingWriter();
    const member = randomUUID();
    const recorded = purchase(member);
    await writer.write(recorded);
    const [conflict, unknown, created] = await Promise.all([
      writer.write({ ...recorded, fingerprint: "other input" }),
      writer.write(purchase(randomUUID(), { memberVouched: false })),
      writer.write(purchase(member)),
    ]);
    expect(conflict).toEqual({ outcome: "CONFLICT" });
    expect(unknown).toEqual({ outcome: "UNKNOWN_MEMBER" });
    expect(created.outcome).toBe("CREATED");
    expect(await balanceOf(member)).toBe(200);
  });

  it("when the database refuses one purchase of a group, the others are written and only that one fails", async () => {
    const { writer, groups } = countingWriter();
    const good = Array.from({ length: 6 }, () => purchase(randomUUID()));
    // Negative points break a check constraint: the whole group's statement fails.
    const bad = purchase(randomUUID(), { basePoints: -5 });
    const results = await Promise.allSettled([...good, bad].map((p) => writer.write(p)));

    expect(results.slice(0, -1).map((r) => r.status === "fulfilled" && r.value.outcome)).toEqual(Array(6).fill("CREATED"));
    expect(results.at(-1)).toMatchObject({ status: "rejected", reason: { message: expect.stringMatching(/check constraint/) } });
    // The failed group was tried again purchase by purchase.
    expect(Math.max(...groups)).toBeGreaterThan(1);
    expect(groups.filter((size) => size === 1).length).toBeGreaterThanOrEqual(3);
    for (const p of good) expect(await balanceOf(p.memberId)).toBe(100);
  });

  it("writes the audit lines of the purchases it records in the same call: none for a replay, none without the purchase", async () => {
    const { writer, groups, transactions } = countingWriter();
    const requestId = randomUUID();
    const audited = (overrides: { action?: string } = {}) => {
      const memberId = randomUUID();
      return purchase(memberId, { audit: { actor: `partner:${partnerId}`, action: "RECORD_PURCHASE", memberId, partnerId, requestId, ...overrides } });
    };
    const first = audited();
    const firstOutcome = await writer.write(first);
    const next = audited();
    const [replay, second, plain] = await Promise.all([writer.write({ ...first }), writer.write(next), writer.write(purchase(randomUUID()))]);
    // An audit line the database refuses (an empty action breaks its check): the purchase is not written either.
    const refused = audited({ action: "" });
    const [failed] = await Promise.allSettled([writer.write(refused)]);

    expect([firstOutcome.outcome, replay.outcome, second.outcome, plain.outcome]).toEqual(["CREATED", "REPLAYED", "CREATED", "CREATED"]);
    expect(failed).toMatchObject({ status: "rejected", reason: { message: expect.stringMatching(/audit_events_action_check/) } });
    const lines: { member_id: string; target_id: string; action: string; actor: string; outcome: string }[] = await dataSource.query(
      `SELECT member_id, target_id, action, actor, outcome FROM audit_events WHERE request_id = $1 ORDER BY occurred_at`,
      [requestId],
    );
    expect(lines).toEqual([
      { member_id: first.memberId, target_id: entryOf(firstOutcome)!.id, action: "RECORD_PURCHASE", actor: `partner:${partnerId}`, outcome: "SUCCEEDED" },
      { member_id: next.memberId, target_id: entryOf(second)!.id, action: "RECORD_PURCHASE", actor: `partner:${partnerId}`, outcome: "SUCCEEDED" },
    ]);
    const [{ count }] = await dataSource.query(`SELECT count(*)::int AS count FROM transactions WHERE idempotency_key = $1`, [refused.idempotencyKey]);
    expect(count).toBe(0);
    // Each group was one statement: no transaction opened around it (BEGIN, the call, the lines, COMMIT).
    expect(transactions()).toBe(0);
    expect(groups.reduce((a, b) => a + b, 0)).toBe(5);
  });
});
