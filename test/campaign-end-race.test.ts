import { Client } from "pg";
import { withDatabase } from "../shared/src/config";
import { enrollMember, registerPartner } from "./support/fixtures";
import { lockWaits } from "./support/lock-waits";
import { gql, unique } from "./support/gateway";
import { expectLedgerConsistent, ledgerTool } from "./support/ledger";
import { ENTRY_FIELDS, campaignById, createCampaign } from "./support/campaigns";

const PURCHASE = `mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { ${ENTRY_FIELDS} } }`;
const END = `mutation($id: ID!) { endCampaign(id: $id) { id status } }`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ledgerDb = () => new Client({ connectionString: withDatabase(process.env.TEST_DATABASE_URL!, `coalition_ledger${process.env.TEST_DATABASE_NAME_SUFFIX}`) });

/**
 * README, Campaigns: "a purchase recorded after [endCampaign] earns nothing from it". A purchase reads
 * its campaigns before it waits for their budget rows; one waiting behind another purchase's awards
 * (a busy campaign) when endCampaign committed still earned the ended campaign's bonus, charged to the
 * funder after endCampaign had answered ENDED (outside review). Here a connection holds the budget
 * row as another purchase's awards would, and the purchase and the end queue behind it, in both orders.
 */
describe("endCampaign and purchases in flight", () => {
  let watcher: Client;
  let holder: Client;
  beforeEach(async () => {
    [watcher, holder] = [ledgerDb(), ledgerDb()];
    await Promise.all([watcher.connect(), holder.connect()]);
  });
  afterEach(async () => {
    await holder.query(`ROLLBACK`).catch(() => undefined);
    await Promise.all([holder.end(), watcher.end()]);
    await expectLedgerConsistent();
  });

  const until = (n: number) => lockWaits(watcher).until(n, 200);
  async function setUp() {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const member = await enrollMember();
    const campaign = await createCampaign({ fundedByPartnerId: partner.id, bonusPoints: 10, budgetPoints: 1_000 });
    const purchase = () => gql(PURCHASE, { input: { partnerId: partner.id, memberId: member.id, amountMinor: 1_000, currency: partner.currency, reference: unique("r") } });
    await holder.query(`BEGIN`);
    await holder.query(`SELECT 1 FROM campaign_totals WHERE campaign_id = $1 FOR UPDATE`, [campaign.id]);
    return { partner, campaign, purchase };
  }

  it("a purchase already waiting for the budget row when the end is asked: the end waits for it, and it is recorded before the end", async () => {
    const { partner, campaign, purchase } = await setUp();
    const bought = purchase();
    await until(1);
    let endAnswered = false;
    const ended = gql(END, { id: campaign.id }).finally(() => (endAnswered = true));
    // The end queues behind the purchase (before, it answered ENDED at once and the purchase then earned the bonus).
    await until(2);
    await sleep(200);
    expect(endAnswered).toBe(false);
    await holder.query(`COMMIT`);
    const [entry, end] = await Promise.all([bought, ended]);
    // Recorded (committed) before the end: its bonus stands. (Which answer reaches its client first is another matter.)
    expect(end.data!.endCampaign.status).toBe("ENDED");
    expect(entry.data!.recordPurchase.bonuses.map((b: { points: number }) => b.points)).toEqual([10]);
    expect(await campaignById(campaign.id, partner.id)).toMatchObject({ status: "ENDED", pointsAwarded: 10 });
    // And one recorded after the end earns nothing.
    expect((await purchase()).data!.recordPurchase.bonuses).toEqual([]);
  });

  it("a purchase that found the campaign before the end committed, then waited for its budget row: no bonus", async () => {
    const { partner, campaign, purchase } = await setUp();
    const ended = gql(END, { id: campaign.id }); // waits for the budget row
    await until(1);
    const bought = purchase(); // finds the campaign (not ended yet), then waits behind the end
    await until(2);
    await holder.query(`COMMIT`);
    expect((await ended).data!.endCampaign.status).toBe("ENDED");
    expect((await bought).data!.recordPurchase.bonuses).toEqual([]);
    expect(await campaignById(campaign.id, partner.id)).toMatchObject({ status: "ENDED", pointsAwarded: 0 });
  });

  it("ledger:verify finds a budget row whose 'ended' disagrees with its campaign", async () => {
    const { partner, campaign } = await setUp();
    await holder.query(`ROLLBACK`);
    expect((await ledgerTool("verify")).code).toBe(0);
    await holder.query(`UPDATE campaign_totals SET ended = true WHERE campaign_id = $1`, [campaign.id]); // a running campaign skipped by every purchase
    const wrong = await ledgerTool("verify");
    await holder.query(`UPDATE campaign_totals SET ended = false WHERE campaign_id = $1`, [campaign.id]);
    expect({ code: wrong.code, named: wrong.output.includes(campaign.id) }).toEqual({ code: 1, named: true });
    expect((await campaignById(campaign.id, partner.id)).status).toBe("ACTIVE");
  });
});
