import "reflect-metadata";
import type { Client } from "pg";
import type { DataSource } from "typeorm";
import { createDataSource, maintenanceTimeouts } from "../shared/src/database";
import type { Logger } from "../shared/src/logger";
import { systemClock } from "../subgraphs/ledger/src/clock";
import { scheduleExpiry } from "../subgraphs/ledger/src/expiry/expiry.schedule";
import { expireDueLots } from "../subgraphs/ledger/src/expiry/expiry.service";
import { ledgerClient, ledgerDatabaseUrl } from "./support/clearing";
import { enrollMember, recordPurchase, registerPartner } from "./support/fixtures";
import { expectLedgerConsistent, ledgerTool, ledgerToolStreams } from "./support/ledger";

/**
 * README, The ledger, Expiry: one member whose expiry fails (a deadlock, a constraint, a bug with that
 * member's data) threw out of the whole run, so every other member's due points stayed unexpired until
 * someone fixed it. Now that member is logged (one line), counted as failed, skipped for the rest of the
 * run and tried again by the next; the tool exits 1. A lost database connection still ends the run (it
 * would fail every member after it). The failure is a trigger of the test's own on that member's lots.
 */
let db: Client;
beforeAll(async () => {
  db = await ledgerClient();
});
afterAll(() => db.end());
afterEach(() => expectLedgerConsistent());

/** Members with 100 points each, due (their lot's expiry moved to yesterday). */
async function dueMembers(count: number): Promise<string[]> {
  const partner = await registerPartner({ pointsPerUnit: 1 });
  const members: string[] = [];
  for (let i = 0; i < count; i++) {
    const { id } = await enrollMember();
    await recordPurchase(partner, id, 10_000);
    members.push(id);
  }
  await db.query(`UPDATE lots SET expires_at = now() - interval '1 day' WHERE partner_id = $1`, [partner.id]);
  return members;
}

const openPoints = async (memberId: string) => Number((await db.query(`SELECT coalesce(sum(remaining), 0) AS open FROM lots WHERE member_id = $1`, [memberId])).rows[0].open);

/**
 * Makes every change to `memberId`'s lots fail until `fix` is called: with an error of its own
 * (`raise`: SQLSTATE P0001), or by ending its own connection (`disconnect`: FATAL 57P01, as when the
 * database goes away).
 */
async function breakMember(memberId: string, how: "raise" | "disconnect") {
  const name = `test_expiry_${how}_${memberId.replace(/-/g, "")}`;
  const body = how === "raise" ? `RAISE EXCEPTION 'this member''s lot refuses to expire (test)' USING ERRCODE = 'P0001'` : `PERFORM pg_terminate_backend(pg_backend_pid())`;
  await db.query(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${body}; RETURN NEW; END $$`);
  await db.query(`CREATE TRIGGER ${name} BEFORE UPDATE ON lots FOR EACH ROW WHEN (OLD.member_id = '${memberId}') EXECUTE FUNCTION ${name}()`);
  return async () => {
    await db.query(`DROP TRIGGER IF EXISTS ${name} ON lots`);
    await db.query(`DROP FUNCTION IF EXISTS ${name}()`);
  };
}

/** Makes every change to `partnerId`'s lots fail (SQLSTATE P0001) until the returned function is called. */
async function breakPartner(partnerId: string) {
  const name = `test_expiry_partner_${partnerId.replace(/-/g, "")}`;
  await db.query(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'this partner''s lots refuse to expire (test)' USING ERRCODE = 'P0001'; RETURN NEW; END $$`);
  await db.query(`CREATE TRIGGER ${name} BEFORE UPDATE ON lots FOR EACH ROW WHEN (OLD.partner_id = '${partnerId}') EXECUTE FUNCTION ${name}()`);
  return async () => {
    await db.query(`DROP TRIGGER IF EXISTS ${name} ON lots`);
    await db.query(`DROP FUNCTION IF EXISTS ${name}()`);
  };
}

type Line = { level: string; message: string } & Record<string, unknown>;
function capturingLogger(): { lines: Line[]; log: Logger } {
  const lines: Line[] = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) => void lines.push({ ...fields, level, message });
  return { lines, log: { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") } };
}

async function withLedgerDataSource<T>(work: (dataSource: DataSource) => Promise<T>): Promise<T> {
  const { log } = capturingLogger();
  const dataSource = createDataSource({ url: ledgerDatabaseUrl(), entities: [], migrations: [], log, poolSize: 2, timeouts: maintenanceTimeouts() });
  await dataSource.initialize();
  try {
    return await work(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

describe("an expiry run where one member's expiry fails", () => {
  it("ledger:expire expires every other member, logs the one that failed once, exits 1; the next run expires it once fixed", async () => {
    const [broken, ...others] = await dueMembers(3);
    const fix = await breakMember(broken, "raise");
    let run;
    try {
      run = await ledgerToolStreams("expire");
    } finally {
      await fix();
    }
    expect(run.code).toBe(1);
    for (const member of others) expect(await openPoints(member)).toBe(0);
    expect(await openPoints(broken)).toBe(100);
    // One line for the member on stderr: its id, the code and the message, no stack. stdout is the run's
    // summary alone, which says so (a log line there would land in whatever reads the report).
    const lines = run.stderr.split("\n").filter((line) => line.includes(broken));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ level: "warn", memberId: broken, code: "P0001", error: "this member's lot refuses to expire (test)" });
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stdout).toMatch(/^Expired \d+ points in \d+ lots of \d+ members .*; 1 member failed[^\n]*\n$/);

    const again = await ledgerTool("expire");
    expect(again.code).toBe(0);
    expect(again.output).toContain("Expired 100 points in 1 lots of 1 members");
    expect(await openPoints(broken)).toBe(0);
  });

  it("expireDueLots counts it as failed and logs it; the scheduled run reports the failure", async () => {
    const [broken, other] = await dueMembers(2);
    const fix = await breakMember(broken, "raise");
    try {
      await withLedgerDataSource(async (dataSource) => {
        const { lines, log } = capturingLogger();
        const run = await expireDueLots(dataSource, new Date(), log);
        expect(run).toMatchObject({ failed: 1, points: expect.any(Number) });
        expect(lines.filter((line) => line.memberId === broken)).toEqual([
          { level: "warn", message: "expiry failed for a member", memberId: broken, code: "P0001", error: "this member's lot refuses to expire (test)" },
        ]);
        expect(await openPoints(other)).toBe(0);

        // The ledger's own hourly run: its summary is a warning that names the count.
        const scheduled = capturingLogger();
        const stop = scheduleExpiry(dataSource, systemClock, scheduled.log, 3600);
        try {
          for (let i = 0; i < 200 && !scheduled.lines.some((line) => line.message.startsWith("expiry run")); i++) await new Promise((resolve) => setTimeout(resolve, 50));
        } finally {
          stop();
        }
        expect(scheduled.lines.filter((line) => line.message.startsWith("expiry run"))).toEqual([
          expect.objectContaining({ level: "warn", message: "expiry run left members unexpired", failed: 1 }),
        ]);
      });
    } finally {
      await fix();
    }
    expect(await openPoints(broken)).toBe(100);
  });

  it("a member that failed is left out of the next batches: the run neither loops on it nor stops short of the others", async () => {
    // Batches of one member: before, the next batch read the failed member again, and again.
    const members = await dueMembers(3);
    const broken = [...members].sort()[0]; // the first in member order, where DISTINCT most likely reads
    const fix = await breakMember(broken, "raise");
    try {
      await withLedgerDataSource(async (dataSource) => {
        const { lines, log } = capturingLogger();
        // Tried again in the same run: the run is stopped here instead of looping on.
        const warn: Logger["warn"] = (message, fields) => {
          if (lines.some((line) => line.memberId === fields?.memberId)) throw new Error(`${fields?.memberId} tried twice in one run`);
          log.warn(message, fields);
        };
        const once: Logger = { ...log, warn };
        expect(await expireDueLots(dataSource, new Date(), once, { batchMembers: 1 })).toMatchObject({ failed: 1 });
      });
    } finally {
      await fix();
    }
    for (const member of members) expect(await openPoints(member)).toBe(member === broken ? 100 : 0);
  });

  it("many members failing (a database broken for everyone) log a bounded number of lines: the first ones each, then one line with the count; the run names the first ones only", async () => {
    // Every member failing made one warning line each: thousands in a broken database's run. Here the first 2
    // are named (tests give the bound; the run's is 20), the third is counted only.
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const members: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { id } = await enrollMember();
      await recordPurchase(partner, id, 10_000);
      members.push(id);
    }
    await db.query(`UPDATE lots SET expires_at = now() - interval '1 day' WHERE partner_id = $1`, [partner.id]);
    const fix = await breakPartner(partner.id);
    try {
      await withLedgerDataSource(async (dataSource) => {
        const { lines, log } = capturingLogger();
        const run = await expireDueLots(dataSource, new Date(), log, { namedFailures: 2 });
        // Other suites' members may fail alongside on a shared stack: only ours are counted.
        const ours = (ids: readonly unknown[]) => ids.filter((id) => members.includes(id as string));
        const named = lines.filter((line) => line.message === "expiry failed for a member");
        expect(named).toHaveLength(2);
        expect(run.failed).toBeGreaterThanOrEqual(3);
        expect(run.failedMembers).toEqual(named.map((line) => line.memberId));
        const more = lines.filter((line) => line.message === "expiry failed for more members, not logged one by one");
        expect(more).toEqual([expect.objectContaining({ level: "warn", failed: run.failed, notLogged: run.failed - 2 })]);
        // What the unnamed ones failed with, by code: at least our third member's P0001.
        expect((more[0].codes as Record<string, number>).P0001).toBeGreaterThanOrEqual(1);
        // Our three: each named or counted once, never all named.
        expect(ours(named.map((line) => line.memberId)).length).toBeLessThanOrEqual(2);
      });
    } finally {
      await fix();
    }
    for (const member of members) expect(await openPoints(member)).toBe(100);
    await withLedgerDataSource((dataSource) => expireDueLots(dataSource, new Date(), capturingLogger().log));
    for (const member of members) expect(await openPoints(member)).toBe(0);
  });

  it("a lost database connection ends the run (exit 2) instead of marking member after member failed", async () => {
    const [broken] = await dueMembers(2);
    const fix = await breakMember(broken, "disconnect");
    try {
      const run = await ledgerTool("expire");
      expect(run).toEqual({ code: 2, output: expect.stringContaining("terminating connection due to administrator command") });
      await withLedgerDataSource(async (dataSource) => {
        await expect(expireDueLots(dataSource, new Date(), capturingLogger().log)).rejects.toThrow("terminating connection due to administrator command");
      });
    } finally {
      await fix();
    }
    expect((await ledgerTool("expire")).code).toBe(0);
    expect(await openPoints(broken)).toBe(0);
  });
});
