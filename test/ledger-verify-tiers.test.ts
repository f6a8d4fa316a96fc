import { Client } from "pg";
import { withDatabase } from "../shared/src/config";
import { enrollMember, recordPurchase, registerPartner } from "./support/fixtures";
import { ledgerTool } from "./support/ledger";
import { useDedicatedStack } from "./support/dedicated-stack";

/**
 * ledger:verify checks each purchase's points against the tier its member had when it was recorded
 * (rules/tiers.ts), not against any tier: before TierAtPurchase1734950000001, a purchase credited at
 * the wrong tier passed as long as its points were some tier's amount for its base points.
 *
 * On a stack of its own: the forgery below rewrites a purchase, its postings, lot and totals, which
 * every later suite's ledger:verify on the shared stack would report.
 *
 * Worked out by hand (the partner earns 1 point per 100 minor units, return window 0 days, so points
 * qualify at once; SILVER from 5,000 qualifying points at 125%):
 * - purchase 1: 500,000 minor units = 5,000 base points, at BASE (0 qualifying): 5,000 points;
 * - purchase 2: 100,000 minor units = 1,000 base points, at SILVER (5,000 qualifying): 1,250 points;
 * - forged to 1,000 (BASE's amount for 1,000 base points), 250 fewer everywhere else too: the
 *   member's EARN posting and lot, the partner's issuance posting, both balances, the per-partner total.
 */
describe("ledger:verify and the tier of a purchase", () => {
  const dedicated = useDedicatedStack("verify_tiers");
  const saved: Record<string, string | undefined> = {};
  const POINTED = ["TEST_GATEWAY_URL", "TEST_JWT_SECRET", "TEST_DATABASE_NAME_SUFFIX"] as const;
  beforeAll(() => {
    for (const name of POINTED) saved[name] = process.env[name];
    process.env.TEST_GATEWAY_URL = dedicated.stack.gatewayUrl;
    process.env.TEST_JWT_SECRET = dedicated.stack.env.JWT_SECRET;
    process.env.TEST_DATABASE_NAME_SUFFIX = dedicated.suffix;
  });
  afterAll(() => {
    for (const name of POINTED) process.env[name] = saved[name];
  });

  it("reports a purchase credited at another tier than the member's when it was made; a clean ledger passes", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1, returnWindowDays: 0 });
    const member = await enrollMember();
    expect((await recordPurchase(partner, member.id, 500_000)).points).toBe(5_000);
    const silver = await recordPurchase(partner, member.id, 100_000);
    expect(silver.points).toBe(1_250);

    const clean = await ledgerTool("verify", [], dedicated.suffix);
    expect({ code: clean.code, output: clean.output }).toEqual({ code: 0, output: expect.stringContaining("Every balance matches its history.") });

    const db = new Client({ connectionString: withDatabase(process.env.TEST_DATABASE_URL!, `coalition_ledger${dedicated.suffix}`) });
    await db.connect();
    let tx: string;
    try {
      await db.query("BEGIN");
      // The history tables are append-only (their triggers refuse updates): a forger with the database's keys goes around them.
      await db.query("SET LOCAL session_replication_role = replica");
      tx = (await db.query(`SELECT transaction_id FROM purchases WHERE member_id = $1 AND points = 1250`, [member.id])).rows[0].transaction_id;
      await db.query(`UPDATE purchases SET points = 1000 WHERE transaction_id = $1`, [tx]);
      await db.query(`UPDATE postings SET amount = CASE WHEN amount > 0 THEN 1000 ELSE -1000 END WHERE transaction_id = $1`, [tx]);
      await db.query(`UPDATE lots SET points = 1000, remaining = remaining - 250 WHERE transaction_id = $1`, [tx]);
      await db.query(`UPDATE accounts SET balance = balance - 250 WHERE kind = 'MEMBER' AND owner_id = $1`, [member.id]);
      await db.query(`UPDATE accounts SET balance = balance + 250 WHERE kind = 'PARTNER_ISSUANCE' AND owner_id = $1`, [partner.id]);
      await db.query(`UPDATE member_partner_points SET earned = earned - 250 WHERE member_id = $1 AND partner_id = $2`, [member.id, partner.id]);
      await db.query("COMMIT");
    } finally {
      await db.end();
    }

    const forged = await ledgerTool("verify", [], dedicated.suffix);
    const failures = forged.output.split("\n").filter((line) => line.startsWith("FAIL"));
    // Only the tier check sees it: recorded 1,000, recomputed 1,250 (SILVER, 5,000 qualifying points when it was made).
    expect({ code: forged.code, failures }).toEqual({ code: 1, failures: [expect.stringMatching(/^FAIL purchases whose points are not .*tier.*: 1$/)] });
    expect(forged.output).toContain(`${tx}: recorded 1000, recomputed 1250`);
  });
});
