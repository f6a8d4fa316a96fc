import { randomUUID } from "node:crypto";
import { type SubgraphName, withDatabase } from "../shared/src/config";
import { createDataSource, maintenanceTimeouts } from "../shared/src/database";
import type { Logger } from "../shared/src/logger";
import { type PurchaseToWrite, availableAt, basePointsForPurchase, expiresAt, fingerprint, pointsExpiryMonthsOf, writePurchases } from "../subgraphs/ledger/src/subgraph";
import type { BenchData } from "./scenarios";

/**
 * The database's own capacity for purchases (issue 20, item 6): `record_purchases` called straight on
 * the ledger's Postgres, no HTTP and no GraphQL, through the very function the ledger calls
 * (writePurchases), with the audit lines it passes for a partner app, with the group sizes the end-to-end run used and as many groups in flight at once
 * as the ledger had (one per ledger process: PURCHASE_WRITE_GROUPS is 1). What recordPurchase serves
 * end to end, divided by this, is the share of the database's capacity the services deliver.
 */
export interface PurchaseCapacity {
  purchasesPerSecond: number;
  /** Purchases written (CREATED) in the window. */
  purchases: number;
  /** How long the window took, from the first call to the last answer. */
  seconds: number;
  /** Purchases answered anything but CREATED (none expected), or lost with their group's error. */
  failures: number;
  /** Calls in flight at once. */
  concurrency: number;
  /** The groups of the end-to-end window right before the direct calls (of each, when pooled): how many, and their mean size (the sizes replayed here). */
  groups: number;
  meanGroupSize: number;
  /** Pooled over several windows (bench/measure.ts): each window's purchases/s, in run order. */
  windows?: number[];
}

/** The ledger database's URL in this run (DATABASE_URL's server, the run's database name suffix). */
export const ledgerDatabaseUrl = (env: NodeJS.ProcessEnv) =>
  env.LEDGER_DATABASE_URL || withDatabase(env.DATABASE_URL!, `coalition_${"ledger" satisfies SubgraphName}${env.DATABASE_NAME_SUFFIX ?? ""}`);

/**
 * A checkpoint of the ledger's database now, so that none falls inside the windows that follow (with
 * the bench's own Postgres, which checkpoints only when asked: bench/run.ts). Each run's purchases then
 * start from the same state, the full-page images after it paid in their warm-up. Where the server is
 * DATABASE_URL's and the bench's role may not checkpoint, it says so and measures on.
 */
export async function checkpointLedger(env: NodeJS.ProcessEnv, log: Logger): Promise<string | null> {
  const dataSource = createDataSource({ url: ledgerDatabaseUrl(env), entities: [], migrations: [], log, poolSize: 1, timeouts: maintenanceTimeouts() });
  await dataSource.initialize();
  try {
    await dataSource.query("CHECKPOINT");
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await dataSource.destroy();
  }
}

/**
 * The sizes of the groups the ledger wrote for the purchases whose reference starts with `prefix`:
 * a group is one call of record_purchases, one transaction, so its rows share the inserting
 * transaction id (xmin); transactions rows are never updated.
 */
export async function groupSizesOf(env: NodeJS.ProcessEnv, prefix: string, log: Logger): Promise<number[]> {
  const dataSource = createDataSource({ url: ledgerDatabaseUrl(env), entities: [], migrations: [], log, poolSize: 1 });
  await dataSource.initialize();
  try {
    const rows: { size: string }[] = await dataSource.query(
      `SELECT count(*) AS size FROM transactions WHERE kind = 'EARN' AND reference LIKE $1 GROUP BY xmin::text`,
      [`${prefix.replace(/[\\%_]/g, "\\$&")}%`],
    );
    return rows.map((row) => Number(row.size));
  } finally {
    await dataSource.destroy();
  }
}

/**
 * Writes fresh purchases for `durationSeconds` with `concurrency` loops, each calling writePurchases
 * with groups of the given sizes in turn (one purchase per member per group, as the ledger's writer
 * groups them), and counts the purchases written per second.
 */
export async function measurePurchaseCapacity(options: {
  env: NodeJS.ProcessEnv;
  data: BenchData;
  groupSizes: number[];
  concurrency: number;
  durationSeconds: number;
  referencePrefix: string;
  log: Logger;
}): Promise<PurchaseCapacity> {
  const { env, data, concurrency, durationSeconds, referencePrefix, log } = options;
  const sizes = options.groupSizes.length ? options.groupSizes : [1];
  const dataSource = createDataSource({ url: ledgerDatabaseUrl(env), entities: [], migrations: [], log, poolSize: concurrency });
  await dataSource.initialize();
  const expiryMonths = pointsExpiryMonthsOf(env.POINTS_EXPIRY_MONTHS);
  let next = 0;
  let written = 0;
  let failures = 0;
  const started = Date.now();
  const deadline = started + durationSeconds * 1000;
  const loop = async (loopIndex: number) => {
    for (let turn = loopIndex; Date.now() < deadline; turn += concurrency) {
      const group = purchaseGroup(data, sizes[turn % sizes.length], referencePrefix, () => ++next, expiryMonths);
      try {
        const outcomes = await writePurchases(dataSource.manager, group);
        const created = outcomes.filter((o) => o?.outcome === "CREATED").length;
        written += created;
        failures += group.length - created;
      } catch (error) {
        failures += group.length;
        log.warn("a direct record_purchases call failed", { error: String(error) });
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, (_, i) => loop(i)));
  } finally {
    await dataSource.destroy();
  }
  const seconds = (Date.now() - started) / 1000;
  const mean = options.groupSizes.length ? options.groupSizes.reduce((a, b) => a + b, 0) / options.groupSizes.length : 0;
  return { purchasesPerSecond: written / seconds, purchases: written, seconds, failures, concurrency, groups: options.groupSizes.length, meanGroupSize: mean };
}

/** Several windows of direct calls as one: purchases and time added, the groups of all of them (bench/measure.ts alternates them with windows end to end). */
export function pooledCapacity(windows: PurchaseCapacity[]): PurchaseCapacity {
  const purchases = windows.reduce((sum, w) => sum + w.purchases, 0);
  const seconds = windows.reduce((sum, w) => sum + w.seconds, 0);
  const groups = windows.reduce((sum, w) => sum + w.groups, 0);
  return {
    purchasesPerSecond: seconds > 0 ? purchases / seconds : 0,
    purchases,
    seconds,
    failures: windows.reduce((sum, w) => sum + w.failures, 0),
    concurrency: windows[0].concurrency,
    groups,
    meanGroupSize: groups ? windows.reduce((sum, w) => sum + w.meanGroupSize * w.groups, 0) / groups : 0,
    windows: windows.map((w) => w.purchasesPerSecond),
  };
}

/**
 * `size` purchases of distinct random members at random partners, built as the ledger's PurchaseService
 * builds them for a partner app's call (the bench's purchases come from partner apps): each with its
 * audit line, which record_purchases writes in the same statement.
 */
export function purchaseGroup(data: BenchData, size: number, prefix: string, nextNumber: () => number, expiryMonths: number): PurchaseToWrite[] {
  const members = new Set<string>();
  const wanted = Math.min(size, data.memberIds.length);
  while (members.size < wanted) members.add(data.memberIds[Math.floor(Math.random() * data.memberIds.length)]);
  const now = new Date();
  return [...members].map((memberId) => {
    const partner = data.partners[Math.floor(Math.random() * data.partners.length)];
    const amountMinor = 500 + Math.floor(Math.random() * 20_000);
    const reference = `${prefix}${nextNumber()}`;
    return {
      idempotencyKey: `purchase:${partner.id}:${reference}`,
      fingerprint: fingerprint({ memberId, amountMinor, currency: partner.currency, occurredAt: null }),
      memberId,
      partnerId: partner.id,
      reference,
      amountMinor,
      basePoints: basePointsForPurchase(amountMinor, partner.pointsPerUnit),
      earnedAt: now,
      availableAt: availableAt(now, partner.returnWindowDays),
      expiresAt: expiresAt(now, expiryMonths),
      memberVouched: false,
      receivedAt: now,
      tierAt: null,
      audit: { actor: `partner:${partner.id}`, action: "RECORD_PURCHASE", memberId, partnerId: partner.id, requestId: randomUUID() },
    };
  });
}
