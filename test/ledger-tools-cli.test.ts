import { randomUUID } from "node:crypto";
import { withDatabase } from "../shared/src/config";
import { createDataSource, dropDatabase, maintenanceTimeouts, migrateDatabase } from "../shared/src/database";
import { createLogger } from "../shared/src/logger";
import { migrations } from "../subgraphs/ledger/src/data-source";
import { ledgerTool, ledgerToolProcess } from "./support/ledger";

/**
 * The suite runs ledger:verify and clearing:verify in its own process (test/support/ledger.ts
 * `ledgerTool`); here their commands, as an operator runs them, give the same output and exit code:
 * 0 on the suite's ledger, 1 with the same report where something mismatches, 2 when they cannot run.
 */
const TOOLS = ["verify", "clearing-verify"] as const;
const CLEAN = { verify: "Every balance matches its history.", "clearing-verify": "Every statement matches the ledger." };

describe.each(TOOLS)("the %s command", (tool) => {
  it("prints what the suite's verdict says, and exits 0, on the suite's ledger", async () => {
    const command = await ledgerToolProcess(tool);
    expect(command).toEqual({ code: 0, output: expect.stringContaining(CLEAN[tool]) });
    // Nothing else writes while a test runs: the two read the same ledger.
    expect(await ledgerTool(tool)).toEqual(command);
  });

  it("exits 2 naming why when its database cannot be reached, as the suite's verdict does", async () => {
    const missing = `_missing_${process.pid}`;
    const command = await ledgerToolProcess(tool, [], missing);
    expect(command).toEqual({ code: 2, output: expect.stringContaining(`database "coalition_ledger${missing}" does not exist`) });
    expect(await ledgerTool(tool, [], missing)).toEqual({ code: 2, output: expect.stringContaining(`database "coalition_ledger${missing}" does not exist`) });
  });
});

describe("a ledger whose points do not sum to zero", () => {
  const suffix = `_tools_cli_${process.pid}`;
  const url = withDatabase(process.env.TEST_DATABASE_URL!, `coalition_ledger${suffix}`);

  beforeAll(async () => {
    await dropDatabase(url);
    await migrateDatabase({ url, entities: [], migrations, log: createLogger("test") });
    const db = createDataSource({ url, entities: [], migrations: [], log: createLogger("test"), poolSize: 1, timeouts: maintenanceTimeouts() });
    await db.initialize();
    try {
      // 5 points on a member account with no history: three checks fail (against its postings, against its lots, the ledger's sum).
      await db.query(`INSERT INTO accounts (kind, owner_id, balance) VALUES ('MEMBER', $1, 5)`, [randomUUID()]);
    } finally {
      await db.destroy();
    }
  }, 60_000);
  afterAll(() => dropDatabase(url));

  it("ledger:verify exits 1 with the report the suite's verdict gives", async () => {
    const command = await ledgerToolProcess("verify", [], suffix);
    expect(command.code).toBe(1);
    expect(command.output).toContain("FAIL account balances that differ from the sum of their postings: 1");
    expect(command.output).toContain("FAIL member balances that differ from their lots less their debt: 1");
    expect(command.output).toContain("FAIL points in the whole ledger that do not sum to zero: 1");
    expect(command.output).toMatch(/\n3 mismatches\.\n$/);
    expect(await ledgerTool("verify", [], suffix)).toEqual(command);
  });
});
