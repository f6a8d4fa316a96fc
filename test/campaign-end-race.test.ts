import { Client } from "pg";
import { withDatabase } from "../shared/src/config";
import { enrollMember, registerPartner } from "./support/fixtures";
import { gql, unique } from "./support/gateway";
import { expectLedgerConsistent } from "./support/ledger";
import { ENTRY_FIELDS, campaignById, createCampaign, endCampaign } from "./support/campaigns";

const PURCHASE = `mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { ${ENTRY_FIELDS} } }`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ledgerDb = () => new Client({ connectionString: withDatabase(process.env.TEST_DATABASE_URL!, `coalition_ledger${process.env.TEST_DATABASE_NAME_SUFFIX}`) });

describe("endCampaign and purchases in flight", () => {
  afterEach(() => expectLedgerConsistent());

  it("a purchase recorded after endCampaign returned earns nothing from it, even one that was waiting for the campaign's budget row", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const member = await enrollMember();
    const campaign = await createCampaign({ fundedByPartnerId: partner.id, bonusPoints: 10, budgetPoints: 1_000 });
    const watcher = ledgerDb();
    const holder = ledgerDb();
    await watcher.connect();
    await holder.connect();
    try {
      const waiting = async () => Number((await watcher.query(`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)).rows[0].count);
      // Another purchase's awards holding the budget row (as under load), so this one waits for it.
      await holder.query(`BEGIN`);
      await holder.query(`SELECT 1 FROM campaign_totals WHERE campaign_id = $1 FOR UPDATE`, [campaign.id]);
      const purchase = gql(PURCHASE, { input: { partnerId: partner.id, memberId: member.id, amountMinor: 1_000, currency: partner.currency, reference: unique("r") } });
      for (let i = 0; i < 200 && (await waiting()) < 1; i++) await sleep(20);
      expect(await waiting()).toBeGreaterThanOrEqual(1);
      const ended = await endCampaign(campaign.id);
      expect(ended.status).toBe("ENDED");
      await holder.query(`COMMIT`);
      const result = await purchase;
      expect(result.errors).toBeUndefined();
      // Recorded (committed) after the campaign was ended: no bonus, nothing charged to the funder.
      expect(result.data!.recordPurchase.bonuses).toEqual([]);
      expect(await campaignById(campaign.id, partner.id)).toMatchObject({ status: "ENDED", pointsAwarded: 0 });
    } finally {
      await holder.query(`ROLLBACK`).catch(() => undefined);
      await holder.end();
      await watcher.end();
    }
  });
});
