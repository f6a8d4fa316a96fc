import "reflect-metadata";
import type { DataSource, EntitySchema, MixedList } from "typeorm";
import { subgraph as catalogSubgraph, writeSeedRewards } from "../../subgraphs/catalog/src/subgraph";
import {
  type ExpectedStanding, subgraph as ledgerSubgraph, earnPurchases, ledgerPurchaseCount, pointsExpiryMonths, prepareLedgerPartners, seededLedgerMembers, standingAt, writeLedgerBatch,
} from "../../subgraphs/ledger/src/subgraph";
import { subgraph as membersSubgraph, seedEpoch, writeSeedMembers } from "../../subgraphs/members/src/subgraph";
import { subgraph as partnersSubgraph, writeSeedPartners } from "../../subgraphs/partners/src/subgraph";
import { type SubgraphName, embeddedDatabaseUrl, intFromEnv, subgraphDatabaseUrl, withDatabase } from "../../shared/src/config";
import { createDataSource, ensureDatabase, maintenanceTimeouts } from "../../shared/src/database";
import { createLogger } from "../../shared/src/logger";
import {
  EPOCH_BEFORE_ANCHOR_DAYS, HEAVY_MEMBER_EMAIL, LIGHT_MEMBER_EMAIL, LIGHT_MEMBER_ENTRIES, type MemberSlot, SEED_DAY_MS, type SeedPlan,
  anchorOf, seedMember, seedMemberId, seedPartners, seedPurchases,
} from "../../shared/src/seed/plan";

/**
 * Bulk seeding of a whole coalition straight into the four databases (the demo seed goes through
 * the API, far too slowly for scale). Each subgraph's own module writes its own tables; this only
 * plans and orders the work. Batches of members go members database first, then ledger, each one
 * transaction; a member the ledger already holds is skipped, so a rerun writes nothing and a run
 * killed halfway (or a larger --members later) completes only what is missing.
 *
 * An "entry" is one purchase: one EARN transaction, i.e. one LedgerEntry in Member.activity
 * (it writes two postings, a purchases row and a lot, and moves the running state).
 */

export interface SeedOptions {
  /** Regular members (the two well-known members come on top). Default 10,000. */
  members?: number;
  partners?: number;
  rewards?: number;
  /** Purchases shared out over the regular members. Default 100 per member. */
  entries?: number;
  /** When > 0, heavy@bench.coalition.test gets this many purchases. */
  heavyMemberEntries?: number;
  /** A Postgres server URL; the databases are coalition_<name><suffix> on it. Default: the services' configuration. */
  databaseUrl?: string;
  suffix?: string;
  /** Members per transaction. */
  batchSize?: number;
  /** Batches written at once (each on its own connections). */
  concurrency?: number;
  /** Stop after writing this many batches (tests of resumption). */
  stopAfterBatches?: number;
  /** The time of a first run (a later run keeps the first run's anchor). */
  now?: Date;
  onProgress?: (progress: SeedProgress) => void;
}

export interface SeedProgress {
  entriesDone: number;
  entriesTotal: number;
  batchesDone: number;
  batchesTotal: number;
  rowsWritten: number;
}

export interface SeededMember {
  id: string;
  email: string;
  entries: number;
}

export interface SeedSummary {
  /** Every seeded member: the regular ones (plan.members of them, ids seedMemberId(1..N)) and the well-known ones. */
  members: number;
  partners: number;
  rewards: number;
  entries: number;
  /** Rows this run inserted, in all four databases. */
  rowsWritten: number;
  batches: { total: number; written: number; skipped: number };
  /** False when stopped early by stopAfterBatches. */
  complete: boolean;
  elapsedMs: number;
  rowsPerSecond: number;
  /** Every seeded time derives from it: purchases fall in the 330 days before. */
  anchor: Date;
  plan: SeedPlan;
  lightMember: SeededMember;
  heavyMember: SeededMember | null;
  partnerIds: string[];
}

/** Each subgraph's database (entities and migrations), from its definition. */
const SUBGRAPH_DATA: Record<SubgraphName, { entities: MixedList<Function | string | EntitySchema>; migrations: MixedList<Function | string> }> = {
  members: membersSubgraph,
  partners: partnersSubgraph,
  catalog: catalogSubgraph,
  ledger: ledgerSubgraph,
};

export const expiryMonths = pointsExpiryMonths;

/** What the ledger must answer for a seeded member at `now` (for tests and benchmarks). */
export function expectedMemberStanding(plan: SeedPlan, slot: MemberSlot, now = new Date()): ExpectedStanding {
  const earned = earnPurchases(seedPurchases(plan, seedMember(plan, slot)), plan.partners);
  return standingAt(earned, plan.partners, now, expiryMonths());
}

export async function seedCoalition(options: SeedOptions = {}): Promise<SeedSummary> {
  const started = Date.now();
  const members = options.members ?? 10_000;
  const heavyMemberEntries = options.heavyMemberEntries ?? 0;
  const batchSize = Math.max(1, options.batchSize ?? 500);
  const sources = await openDatabases(options, (options.concurrency ?? 2) + 1);
  try {
    const partners = seedPartners(options.partners ?? 20);
    // The anchor of the first run, read back from the light member, keeps reruns identical.
    const epoch = await seedEpoch(sources.members, seedMemberId("light"));
    const anchor = epoch ? new Date(epoch.getTime() + EPOCH_BEFORE_ANCHOR_DAYS * SEED_DAY_MS) : anchorOf(options.now ?? new Date());
    const plan: SeedPlan = { members, entries: options.entries ?? members * 100, heavyMemberEntries, partners, rewards: options.rewards ?? 200, anchor };

    let rowsWritten = await writeSeedPartners(sources.partners, partners, anchor);
    await prepareLedgerPartners(sources.ledger, partners);
    rowsWritten += await writeSeedRewards(sources.catalog, partners, plan.rewards, anchor);

    if (heavyMemberEntries > 0 && (await seededLedgerMembers(sources.ledger, [seedMemberId("heavy")])).size) {
      const found = await ledgerPurchaseCount(sources.ledger, seedMemberId("heavy"));
      if (found !== heavyMemberEntries) throw new Error(`The heavy member already has ${found} entries, not ${heavyMemberEntries}: seed fresh databases to change it`);
    }

    // The well-known members first, then regular members in order.
    const slots: MemberSlot[][] = [["light"], ...(heavyMemberEntries > 0 ? [["heavy"] as MemberSlot[]] : [])];
    for (let first = 1; first <= members; first += batchSize) {
      slots.push(Array.from({ length: Math.min(batchSize, members - first + 1) }, (_, i) => first + i));
    }
    const batches = slots.map((batch) => batch.map((slot) => seedMember(plan, slot)));
    const entriesOf = (batch: typeof batches[number]) => batch.reduce((sum, m) => sum + m.purchaseCount, 0);
    const progress: SeedProgress = { entriesDone: 0, entriesTotal: batches.reduce((sum, b) => sum + entriesOf(b), 0), batchesDone: 0, batchesTotal: batches.length, rowsWritten };
    let written = 0;
    let skipped = 0;
    let next = 0;
    let stopped = false;
    let failed = false;

    const runBatch = async (batch: typeof batches[number]) => {
      const seeded = await seededLedgerMembers(sources.ledger, batch.map((m) => m.id));
      if (seeded.size === batch.length) {
        skipped++;
      } else {
        if (options.stopAfterBatches !== undefined && written >= options.stopAfterBatches) return void (stopped = true);
        written++;
        // Members before the ledger: a run killed in between finds its members written (a no-op again)
        // and its ledger rows missing. (Each count is awaited first: `x += await y` would read x before
        // the other workers' additions.)
        const memberRows = await writeSeedMembers(sources.members, partners, batch);
        progress.rowsWritten += memberRows;
        const fresh = batch.filter((m) => !seeded.has(m.id));
        const ledgerMembers = fresh.map((m) => ({ id: m.id, position: m.position, ref: m.ref, purchases: earnPurchases(seedPurchases(plan, m), partners) }));
        const ledgerRows = await writeLedgerBatch(sources.ledger, partners, ledgerMembers, expiryMonths());
        progress.rowsWritten += ledgerRows;
      }
      progress.batchesDone++;
      progress.entriesDone += entriesOf(batch);
      options.onProgress?.({ ...progress });
    };
    const worker = async () => {
      while (!stopped && !failed && next < batches.length) {
        try {
          await runBatch(batches[next++]);
        } catch (error) {
          failed = true;
          throw error;
        }
      }
    };
    // The light member's batch alone first: its enrolment time is the anchor later runs read back, so
    // no other batch may commit before it.
    next = 1;
    await runBatch(batches[0]);
    const outcomes = await Promise.allSettled(Array.from({ length: Math.max(1, options.concurrency ?? 2) }, worker));
    const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === "rejected");
    if (failure) throw failure.reason;

    // After a bulk load: fresh planner statistics, and a visibility map so that index-only scans
    // (pending points) do not visit the table, as on a database that autovacuum keeps.
    if (progress.rowsWritten > 0) await Promise.all(Object.values(sources).map((source) => source.query("VACUUM (ANALYZE)")));
    const elapsedMs = Date.now() - started;
    const member = (slot: "light" | "heavy", email: string, entries: number): SeededMember => ({ id: seedMemberId(slot), email, entries });
    return {
      members: members + 1 + (heavyMemberEntries > 0 ? 1 : 0),
      partners: partners.length,
      rewards: plan.rewards,
      entries: progress.entriesTotal,
      rowsWritten: progress.rowsWritten,
      batches: { total: batches.length, written, skipped },
      complete: !stopped,
      elapsedMs,
      rowsPerSecond: Math.round(progress.rowsWritten / Math.max(elapsedMs / 1000, 0.001)),
      anchor,
      plan,
      lightMember: member("light", LIGHT_MEMBER_EMAIL, LIGHT_MEMBER_ENTRIES),
      heavyMember: heavyMemberEntries > 0 ? member("heavy", HEAVY_MEMBER_EMAIL, heavyMemberEntries) : null,
      partnerIds: partners.map((p) => p.id),
    };
  } finally {
    await Promise.all(Object.values(sources).map((source) => source.destroy()));
  }
}

/** Each subgraph's database, created when missing and migrated exactly as the service does at start (never synchronize). */
async function openDatabases(options: SeedOptions, poolSize: number): Promise<Record<SubgraphName, DataSource>> {
  // The seed's statements are slow by design (thousands of rows each): only errors are worth a line.
  const base = createLogger("seed");
  const log = { ...base, debug() {}, info() {}, warn() {} };
  const opened = {} as Record<SubgraphName, DataSource>;
  try {
    await Promise.all(
      (Object.keys(SUBGRAPH_DATA) as SubgraphName[]).map(async (name) => {
        const url = databaseUrlOf(name, options);
        await ensureDatabase(url);
        // Batches are big statements by design: no per-statement limit, as for migrations.
        const source = createDataSource({ url, ...SUBGRAPH_DATA[name], log, poolSize, timeouts: maintenanceTimeouts() });
        await source.initialize();
        opened[name] = source;
        await source.runMigrations({ transaction: "all" });
      }),
    );
    return opened;
  } catch (error) {
    await Promise.all(Object.values(opened).map((source) => source.destroy()));
    throw error;
  }
}

function databaseUrlOf(name: SubgraphName, { databaseUrl, suffix }: SeedOptions): string {
  if (databaseUrl === undefined && suffix === undefined) return subgraphDatabaseUrl(name);
  const server = databaseUrl ?? process.env.DATABASE_URL ?? embeddedDatabaseUrl();
  return withDatabase(server, `coalition_${name}${suffix ?? process.env.DATABASE_NAME_SUFFIX ?? ""}`);
}
