import { Client } from "pg";
import { withDatabase } from "../shared/src/config";
import { enrollMember, registerPartner } from "./support/fixtures";
import { holdRows, lockWaits } from "./support/lock-waits";
import { gql, ok, unique } from "./support/gateway";
import { expectLedgerConsistent, travel } from "./support/ledger";
import { CREATE_CAMPAIGN, ENTRY_FIELDS, createCampaign, purchaseWithBonuses, recordPurchase } from "./support/campaigns";

/** Edges of campaigns an outside review found (2026-12-05): each `it` states the rule, with numbers worked out by hand. */
const DAY = 86_400_000;
const PURCHASE = `mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { ${ENTRY_FIELDS} } }`;
const REVERSE = `mutation($input: ReversePurchaseInput!) { reversePurchase(input: $input) { id points } }`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("campaign review probes", () => {
  let ledger: Client;
  beforeAll(async () => {
    ledger = new Client({ connectionString: withDatabase(process.env.TEST_DATABASE_URL!, `coalition_ledger${process.env.TEST_DATABASE_NAME_SUFFIX}`) });
    await ledger.connect();
  });
  afterAll(() => ledger.end());
  afterEach(async () => {
    await travel(0);
    await expectLedgerConsistent();
  });

  it("minimumTier: a late purchase is judged on the member's tier when it was made (as its tier bonus), not on 12 months before it plus everything since", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const member = await enrollMember();
    const PPU1 = (points: number) => points * 100;
    // A: 10,000 base points now (T0).
    await recordPurchase(partner, member.id, PPU1(10_000));
    // 400 days later (more than 12 months): A no longer qualifies.
    const now = await travel(400);
    // B: 10,000 base points now. The member is SILVER now (10,000), and was SILVER 60 days ago (A only: B was not made yet).
    await recordPurchase(partner, member.id, PPU1(10_000));
    const { member: seen } = await ok(`query($id: ID!) { member(id: $id) { tier } }`, { id: member.id });
    expect(seen.tier).toBe("SILVER");
    const gold = await createCampaign({
      fundedByPartnerId: partner.id, bonusPoints: 77, minimumTier: "GOLD",
      startsAt: new Date(now.getTime() - 100 * DAY).toISOString(), endsAt: new Date(now.getTime() + DAY).toISOString(),
    });
    // A live purchase: SILVER, no GOLD bonus.
    expect((await purchaseWithBonuses(partner, member.id, 100)).bonuses).toEqual([]);
    // A late purchase dated 60 days ago: the member is SILVER now and was SILVER then; no GOLD bonus either way.
    const late = await purchaseWithBonuses(partner, member.id, 100, { occurredAt: new Date(now.getTime() - 60 * DAY).toISOString() });
    expect(late.bonuses.map((b) => b.campaign?.id)).not.toContain(gold.id);
  });

  it("a refund and a purchase sharing a coalition campaign do not fail each other (no lock-order deadlock)", async () => {
    const [c1, c2] = [await registerPartner({ pointsPerUnit: 1 }), await registerPartner({ pointsPerUnit: 1 })];
    const [m1, m2] = [await enrollMember(), await enrollMember()];
    await createCampaign({ partnerIds: [c1.id, c2.id], bonusPoints: 10 }); // coalition-funded, admin
    const bought = await purchaseWithBonuses(c2, m2.id, 1_000);
    expect(bought.bonuses.map((b) => b.points)).toEqual([10]);

    const until = (n: number) => lockWaits(ledger).until(n, 100);
    // Hold the coalition's issuance account a moment, so the two requests meet in the order they would under load.
    const holder = await holdRows(withDatabase(process.env.TEST_DATABASE_URL!, `coalition_ledger${process.env.TEST_DATABASE_NAME_SUFFIX}`), `SELECT 1 FROM accounts WHERE kind = 'COALITION_ISSUANCE' FOR UPDATE`);
    try {
      const refund = gql(REVERSE, { input: { partnerId: c2.id, reference: bought.reference, amountMinor: 1_000, refundReference: unique("refund") } });
      await until(1); // the refund: holds its member, waits for the coalition account
      const purchase = gql(PURCHASE, { input: { partnerId: c1.id, memberId: m1.id, amountMinor: 1_000, currency: c1.currency, reference: unique("r") } });
      await until(2); // the purchase: holds the campaign's totals row, waits for the coalition account
      await sleep(1_200);
      await holder.release();
      const [r, p] = await Promise.all([refund, purchase]);
      expect({ refund: r.errors?.map((e) => e.extensions?.code) ?? [], purchase: p.errors?.map((e) => e.extensions?.code) ?? [] }).toEqual({ refund: [], purchase: [] });
    } finally {
      await holder.end();
    }
  });

  it("a member's debt makes no room under the points cap: a percent bonus past what a points column stores is not awarded, the purchase is recorded", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1_000 }); // 10 points per minor unit
    const member = await enrollMember();
    const ADJUST = `mutation($input: AdjustPointsInput!) { adjustPoints(input: $input) { points } }`;
    // A debt of 300,000,000 points (an admin correction; refunds of spent points make the same).
    for (let i = 0; i < 30; i++) {
      await ok(ADJUST, { input: { memberId: member.id, points: -10_000_000, reason: "CORRECTION", note: "probe debt", idempotencyKey: unique("adj") } });
    }
    await createCampaign({ fundedByPartnerId: partner.id, bonusPercent: 1_000 });
    // 220,000,000 base points; 1,000 % of them is 2,200,000,000 (> 2,147,483,647), and −300,000,000 + 220,000,000 + 2,200,000,000
    // = 2,120,000,000 fits under the cap, so the award statement keeps it and then cannot store it.
    const result = await gql(PURCHASE, { input: { partnerId: partner.id, memberId: member.id, amountMinor: 22_000_000, currency: partner.currency, reference: unique("r") } });
    expect(result.errors?.map((e) => e.extensions?.code) ?? []).toEqual([]);
    expect(result.data?.recordPurchase.points).toBe(220_000_000);
  });

  it("fundedByPartnerId \"\" is not a partner id: BAD_USER_INPUT, not a coalition-funded campaign", async () => {
    const before = Number((await ledger.query(`SELECT count(*) FROM campaigns WHERE funded_by_partner_id IS NULL`)).rows[0].count);
    const result = await gql(CREATE_CAMPAIGN, {
      input: { name: unique("empty funder"), fundedByPartnerId: "", bonusPoints: 5, startsAt: new Date(Date.now() - 3_600_000).toISOString(), endsAt: new Date(Date.now() + DAY).toISOString(), partnerIds: [(await registerPartner()).id] },
    });
    const after = Number((await ledger.query(`SELECT count(*) FROM campaigns WHERE funded_by_partner_id IS NULL`)).rows[0].count);
    if (result.data?.createCampaign) await ok(`mutation($id: ID!) { endCampaign(id: $id) { id } }`, { id: result.data.createCampaign.id });
    expect({ code: result.errors?.[0]?.extensions?.code, field: result.errors?.[0]?.extensions?.field, coalitionCampaignsAdded: after - before }).toEqual({
      code: "BAD_USER_INPUT", field: "fundedByPartnerId", coalitionCampaignsAdded: 0,
    });
  });

  it("afterPurchaseAtPartnerId \"\" is not a partner id: BAD_USER_INPUT, not a campaign without its cross-brand condition", async () => {
    const partner = await registerPartner();
    const result = await gql(CREATE_CAMPAIGN, {
      input: {
        name: unique("empty after"), fundedByPartnerId: partner.id, bonusPoints: 5, afterPurchaseAtPartnerId: "", afterPurchaseWithinDays: 7,
        startsAt: new Date(Date.now() - 3_600_000).toISOString(), endsAt: new Date(Date.now() + DAY).toISOString(),
      },
    });
    const { rows } = await ledger.query(`SELECT count(*)::int AS n FROM campaigns WHERE funded_by_partner_id = $1`, [partner.id]);
    expect({ code: result.errors?.[0]?.extensions?.code, field: result.errors?.[0]?.extensions?.field, written: rows[0].n }).toEqual({
      code: "BAD_USER_INPUT", field: "afterPurchaseAtPartnerId", written: 0,
    });
  });
});
