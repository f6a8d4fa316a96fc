import { Client } from "pg";
import { withDatabase } from "../shared/src/config";
import { enrollMember, registerPartner } from "./support/fixtures";
import { holdRows, lockWaits } from "./support/lock-waits";
import { gql, unique } from "./support/gateway";
import { expectLedgerConsistent } from "./support/ledger";
import { ENTRY_FIELDS, createCampaign, purchaseWithBonuses } from "./support/campaigns";

/**
 * README, Campaigns and referrals, Refunds: "a refund and a purchase that share a campaign funded by a
 * third party (the coalition, say) wait for each other instead of deadlocking". Here they are at the
 * same partner: the purchase locks the partner's issuance account (record_purchases) before the
 * campaign's totals; the refund locks the totals before that account.
 */
const PURCHASE = `mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { ${ENTRY_FIELDS} } }`;
const REVERSE = `mutation($input: ReversePurchaseInput!) { reversePurchase(input: $input) { id points } }`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ledgerUrl = () => withDatabase(process.env.TEST_DATABASE_URL!, `coalition_ledger${process.env.TEST_DATABASE_NAME_SUFFIX}`);

describe("a refund and a purchase at one partner sharing a coalition campaign", () => {
  let ledger: Client;
  beforeAll(async () => {
    ledger = new Client({ connectionString: ledgerUrl() });
    await ledger.connect();
  });
  afterAll(() => ledger.end());
  afterEach(() => expectLedgerConsistent());

  it("wait for each other instead of deadlocking", async () => {
    const shop = await registerPartner({ pointsPerUnit: 1 });
    const [m1, m2] = [await enrollMember(), await enrollMember()];
    await createCampaign({ partnerIds: [shop.id], bonusPoints: 10 }); // coalition-funded (admin), third party to the shop
    const bought = await purchaseWithBonuses(shop, m2.id, 1_000);
    expect(bought.bonuses.map((b) => b.points)).toEqual([10]);
    const [{ transaction_id: purchaseTx }] = (await ledger.query(`SELECT transaction_id FROM purchases WHERE member_id = $1`, [m2.id])).rows;

    const { until } = lockWaits(ledger);
    // Hold the refunded purchase's row a moment: the refund then holds its member and the campaign's totals while it waits.
    const holder = await holdRows(ledgerUrl(), `SELECT 1 FROM purchases WHERE transaction_id = $1 FOR UPDATE`, [purchaseTx]);
    try {
      const refund = gql(REVERSE, { input: { partnerId: shop.id, reference: bought.reference, amountMinor: 1_000, refundReference: unique("refund") } });
      await until(1);
      // A purchase at the same shop: as under load, it reaches the shop's issuance account while the refund waits.
      const purchase = gql(PURCHASE, { input: { partnerId: shop.id, memberId: m1.id, amountMinor: 1_000, currency: shop.currency, reference: unique("r") } });
      await until(2);
      await sleep(500);
      await holder.release();
      const [r, p] = await Promise.all([refund, purchase]);
      expect({ refund: r.errors?.map((e) => `${e.extensions?.code}: ${e.message}`) ?? [], purchase: p.errors?.map((e) => `${e.extensions?.code}: ${e.message}`) ?? [] })
        .toEqual({ refund: [], purchase: [] });
    } finally {
      await holder.end();
    }
  });
});
