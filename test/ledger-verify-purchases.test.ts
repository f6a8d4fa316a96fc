import { Client } from "pg";
import { withDatabase } from "../shared/src/config";
import { enrollMember, recordPurchase, registerPartner } from "./support/fixtures";
import { ledgerTool } from "./support/ledger";

/**
 * ledger:verify compares the purchases sub-ledger (what refunds, tiers and qualifying windows read)
 * with the postings it must agree with: a purchase whose points or time differ from its EARN entry is
 * a corruption an auditor looks for first.
 */
describe("ledger:verify and the purchases sub-ledger (outside review)", () => {
  it("reports a purchase whose points or time differ from its EARN posting", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const member = await enrollMember();
    const day = new Date(Date.now() - 100 * 86_400_000);
    const occurredAt = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), 12)).toISOString();
    await recordPurchase(partner, member.id, 100_000, { occurredAt }); // 1,000 points at BASE, EARN posting of 1,000 at 12:00
    const client = new Client({ connectionString: withDatabase(process.env.TEST_DATABASE_URL!, `coalition_ledger${process.env.TEST_DATABASE_NAME_SUFFIX}`) });
    await client.connect();
    try {
      expect((await ledgerTool("verify")).code).toBe(0);
      // As if recorded at SILVER (a valid pair for 1,000 base points): a full refund would now claw back 1,250, 250 more than were posted.
      await client.query(`UPDATE purchases SET points = 1250 WHERE member_id = $1`, [member.id]);
      const points = await ledgerTool("verify");
      await client.query(`UPDATE purchases SET points = 1000 WHERE member_id = $1`, [member.id]);
      // An hour earlier on the same UTC day (the daily bucket still matches): the purchase would leave the qualifying window an hour early.
      await client.query(`UPDATE purchases SET earned_at = earned_at - interval '1 hour' WHERE member_id = $1`, [member.id]);
      const time = await ledgerTool("verify");
      await client.query(`UPDATE purchases SET earned_at = earned_at + interval '1 hour' WHERE member_id = $1`, [member.id]);
      expect({ points: points.code, time: time.code }).toEqual({ points: 1, time: 1 });
      expect((await ledgerTool("verify")).code).toBe(0);
    } finally {
      await client.end();
    }
  });
});
