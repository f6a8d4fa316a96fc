import { Client } from "pg";
import { withDatabase } from "../shared/src/config";
import { enrollMember, registerPartner } from "./support/fixtures";
import { asMember, asPartnerApp, fails, gql, ok, unique } from "./support/gateway";
import { expectLedgerConsistent, ledgerTool } from "./support/ledger";
import { CREATE_CAMPAIGN, ENTRY_FIELDS, campaignById, createCampaign, endCampaign, hoursFromNow } from "./support/campaigns";

const MISSING = "00000000-0000-4000-8000-000000000000";
const PURCHASE = `mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { ${ENTRY_FIELDS} } }`;

describe("campaign limits, replays, rights and bad input", () => {
  let ledger: Client;
  beforeAll(async () => {
    ledger = new Client({ connectionString: withDatabase(process.env.TEST_DATABASE_URL!, `coalition_ledger${process.env.TEST_DATABASE_NAME_SUFFIX}`) });
    await ledger.connect();
  });
  afterAll(() => ledger.end());
  afterEach(() => expectLedgerConsistent());

  const campaignRows = async () => Number((await ledger.query(`SELECT count(*) FROM campaigns`)).rows[0].count);
  const bonusRows = async (campaignId: string) => Number((await ledger.query(`SELECT count(*) FROM campaign_bonuses WHERE campaign_id = $1`, [campaignId])).rows[0].count);

  it("100 concurrent qualifying purchases against a budget for 10 bonuses award exactly 10; the others still earn their base points", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const members = await Promise.all(Array.from({ length: 100 }, () => enrollMember()));
    const campaign = await createCampaign({ fundedByPartnerId: partner.id, bonusPoints: 50, budgetPoints: 500 });
    const entries = await Promise.all(
      members.map(async (m) => (await ok(PURCHASE, { input: { partnerId: partner.id, memberId: m.id, amountMinor: 700, currency: partner.currency, reference: unique("r") } })).recordPurchase),
    );
    expect(entries.every((e: any) => e.points === 7)).toBe(true);
    expect(entries.filter((e: any) => e.bonuses.length === 1 && e.bonuses[0].points === 50)).toHaveLength(10);
    expect(entries.filter((e: any) => e.bonuses.length === 0)).toHaveLength(90);
    expect(await campaignById(campaign.id, partner.id)).toMatchObject({ status: "EXHAUSTED", pointsAwarded: 500, budgetRemaining: 0, membersRewarded: 10 });
  });

  it("the per-member cap holds under 100 concurrent purchases of one member, and cuts the last bonus to what is left", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const member = await enrollMember();
    const campaign = await createCampaign({ fundedByPartnerId: partner.id, bonusPoints: 30, maxBonusPerMember: 100 });
    const entries = await Promise.all(
      Array.from({ length: 100 }, async () => (await ok(PURCHASE, { input: { partnerId: partner.id, memberId: member.id, amountMinor: 100, currency: partner.currency, reference: unique("r") } })).recordPurchase),
    );
    // 30 + 30 + 30 + 10 = 100.
    expect(entries.flatMap((e: any) => e.bonuses.map((b: any) => b.points)).sort()).toEqual([10, 30, 30, 30]);
    expect(await campaignById(campaign.id, partner.id)).toMatchObject({ pointsAwarded: 100, membersRewarded: 1 });
  });

  it("replays of a purchase, even 20 at once, never award its bonus twice", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const member = await enrollMember();
    const campaign = await createCampaign({ fundedByPartnerId: partner.id, bonusPercent: 100 });
    const input = { partnerId: partner.id, memberId: member.id, amountMinor: 500, currency: partner.currency, reference: unique("r") };
    const answers = await Promise.all(Array.from({ length: 20 }, async () => (await ok(PURCHASE, { input })).recordPurchase));
    expect(new Set(answers.map((a: any) => a.id)).size).toBe(1);
    expect(answers.every((a: any) => a.bonuses.length === 1 && a.bonuses[0].points === 5)).toBe(true);
    expect(await bonusRows(campaign.id)).toBe(1);
    expect(await campaignById(campaign.id, partner.id)).toMatchObject({ pointsAwarded: 5 });
  });

  it("awarding bonuses adds to the campaign's totals row and leaves its campaigns row as it was (every purchase reads that row)", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const campaign = await createCampaign({ fundedByPartnerId: partner.id, bonusPoints: 15, budgetPoints: 100 });
    // xmin: the transaction that wrote the row's current version; any update of the row changes it.
    const version = async (table: string, column: string) => (await ledger.query(`SELECT xmin::text AS v FROM ${table} WHERE ${column} = $1`, [campaign.id])).rows[0].v;
    const [campaignRow, totalsRow] = [await version("campaigns", "id"), await version("campaign_totals", "campaign_id")];
    const members = await Promise.all([enrollMember(), enrollMember()]);
    for (const m of members) {
      const { recordPurchase } = await ok(PURCHASE, { input: { partnerId: partner.id, memberId: m.id, amountMinor: 200, currency: partner.currency, reference: unique("r") } });
      expect(recordPurchase.bonuses.map((b: any) => b.points)).toEqual([15]);
    }
    expect(await version("campaigns", "id")).toBe(campaignRow);
    expect(await version("campaign_totals", "campaign_id")).not.toBe(totalsRow);
    // 15 + 15 of a budget of 100.
    expect(await campaignById(campaign.id, partner.id)).toMatchObject({ pointsAwarded: 30, membersRewarded: 2, budgetRemaining: 70, status: "ACTIVE" });
  });

  it("ledger:verify catches a campaign total that no longer matches its bonuses", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const campaign = await createCampaign({ fundedByPartnerId: partner.id, bonusPoints: 10 });
    await ok(PURCHASE, { input: { partnerId: partner.id, memberId: (await enrollMember()).id, amountMinor: 100, currency: partner.currency, reference: unique("r") } });
    await ledger.query(`UPDATE campaign_totals SET points_awarded = points_awarded + 1 WHERE campaign_id = $1`, [campaign.id]);
    try {
      const { code, output } = await ledgerTool("verify");
      expect(code).not.toBe(0);
      expect(output).toContain("campaigns whose pointsAwarded differs from their bonuses");
      expect(output).toContain(campaign.id);
    } finally {
      await ledger.query(`UPDATE campaign_totals SET points_awarded = points_awarded - 1 WHERE campaign_id = $1`, [campaign.id]);
    }
  });

  it("ledger:verify catches a campaign that lost its totals row", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const campaign = await createCampaign({ fundedByPartnerId: partner.id, bonusPoints: 10, budgetPoints: 40 });
    const [row] = (await ledger.query(`DELETE FROM campaign_totals WHERE campaign_id = $1 RETURNING *`, [campaign.id])).rows;
    try {
      const { code, output } = await ledgerTool("verify");
      expect(code).not.toBe(0);
      expect(output).toContain("campaigns without their totals row");
      expect(output).toContain(campaign.id);
    } finally {
      await ledger.query(`INSERT INTO campaign_totals (campaign_id, budget_points, points_awarded, members_rewarded) VALUES ($1, $2, $3, $4)`, [
        row.campaign_id,
        row.budget_points,
        row.points_awarded,
        row.members_rewarded,
      ]);
    }
  });

  it("an ended campaign awards nothing more; a scheduled one nothing yet", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const member = await enrollMember();
    const ended = await createCampaign({ fundedByPartnerId: partner.id, bonusPoints: 10 });
    const scheduled = await createCampaign({ fundedByPartnerId: partner.id, bonusPoints: 20, startsAt: hoursFromNow(1) });
    expect(scheduled.status).toBe("SCHEDULED");
    expect((await endCampaign(ended.id)).status).toBe("ENDED");
    const { recordPurchase } = await ok(PURCHASE, { input: { partnerId: partner.id, memberId: member.id, amountMinor: 100, currency: partner.currency, reference: unique("r") } });
    expect(recordPurchase.bonuses).toEqual([]);
  });

  it("partner apps: their own campaigns only, at themselves only; coalition campaigns are the admins'", async () => {
    const [own, other] = [await registerPartner(), await registerPartner()];
    const key = (await ok(`mutation($id: ID!) { issuePartnerApiKey(partnerId: $id) { key } }`, { id: own.id })).issuePartnerApiKey.key;
    const app = asPartnerApp(key);
    const base = { name: "Double points", startsAt: hoursFromNow(-1), endsAt: hoursFromNow(48), bonusPercent: 100 };
    const before = await campaignRows();
    const notItsOwn = await fails(CREATE_CAMPAIGN, { input: { ...base, fundedByPartnerId: other.id } }, "FORBIDDEN", app);
    expect([notItsOwn.extensions?.field, notItsOwn.message]).toEqual(["fundedByPartnerId", "A partner app funds only its own campaigns (fundedByPartnerId is its partner's id); admins fund any"]);
    const coalition = await fails(CREATE_CAMPAIGN, { input: { ...base, fundedByPartnerId: null } }, "FORBIDDEN", app);
    expect([coalition.extensions?.field, coalition.message]).toEqual([
      "fundedByPartnerId",
      "Only admins create coalition campaigns (fundedByPartnerId null); a partner app funds its own: fundedByPartnerId is its partner's id",
    ]);
    expect((await fails(CREATE_CAMPAIGN, { input: { ...base, fundedByPartnerId: own.id, partnerIds: [own.id, other.id] } }, "BAD_USER_INPUT", app)).extensions?.field).toBe("partnerIds");
    expect((await fails(CREATE_CAMPAIGN, { input: { ...base, fundedByPartnerId: own.id, categories: ["RETAIL"] } }, "BAD_USER_INPUT", app)).extensions?.field).toBe("categories");
    // Cross-brand on another partner's purchases: its bonuses would tell the app who shops there, so admins only.
    const namesOther = await fails(CREATE_CAMPAIGN, { input: { ...base, fundedByPartnerId: own.id, afterPurchaseAtPartnerId: other.id, afterPurchaseWithinDays: 3 } }, "BAD_USER_INPUT", app);
    expect(namesOther.extensions?.field).toBe("afterPurchaseAtPartnerId");
    expect(await campaignRows()).toBe(before);
    // Its own, on a repeat visit to itself: allowed.
    const mine = await createCampaign({ ...base, fundedByPartnerId: own.id, afterPurchaseAtPartnerId: own.id, afterPurchaseWithinDays: 3 }, app);
    expect(mine).toMatchObject({ partners: [{ id: own.id }], afterPurchaseAtPartner: { id: own.id } });
    // The same campaign on the other partner's purchases, funded by it, made by an admin (once that partner agreed).
    const arranged = await createCampaign({ ...base, fundedByPartnerId: own.id, afterPurchaseAtPartnerId: other.id, afterPurchaseWithinDays: 3 });
    expect(arranged).toMatchObject({ partners: [{ id: own.id }], afterPurchaseAtPartner: { id: other.id } });
    const theirs = await createCampaign({ ...base, fundedByPartnerId: other.id });
    await fails(`mutation($id: ID!) { endCampaign(id: $id) { id } }`, { id: theirs.id }, "NOT_FOUND", app);
    await fails(`query($p: ID) { campaigns(partnerId: $p) { id } }`, { p: other.id }, "FORBIDDEN", app);
    await fails(`query { campaigns { id } }`, {}, "FORBIDDEN", app);
    expect((await ok(`query($p: ID) { campaigns(partnerId: $p, activeOnly: true) { id } }`, { p: own.id }, app)).campaigns).toEqual([{ id: arranged.id }, { id: mine.id }]);
    expect((await endCampaign(mine.id, app)).status).toBe("ENDED");
    expect((await endCampaign(arranged.id, app)).status).toBe("ENDED"); // it funds it: it may end it
    expect((await ok(`query($p: ID) { campaigns(partnerId: $p, activeOnly: true) { id } }`, { p: own.id }, app)).campaigns).toEqual([]);
    const member = await enrollMember();
    await fails(CREATE_CAMPAIGN, { input: { ...base, fundedByPartnerId: own.id } }, "FORBIDDEN", asMember(member.id));
  });

  it.each([
    ["endsAt", { endsAt: hoursFromNow(-2) }],
    ["endsAt", { startsAt: hoursFromNow(5), endsAt: hoursFromNow(5) }],
    ["endsAt", { startsAt: hoursFromNow(-1), endsAt: hoursFromNow(400 * 24) }],
    ["bonusPercent", { bonusPercent: null }],
    ["bonusPoints", { bonusPoints: 10 }],
    ["bonusPercent", { bonusPercent: -5 }],
    ["bonusPercent", { bonusPercent: 1_001 }],
    ["bonusPoints", { bonusPercent: null, bonusPoints: 0 }],
    ["budgetPoints", { budgetPoints: -1 }],
    ["maxBonusPerMember", { maxBonusPerMember: 0 }],
    ["minAmountMinor", { minAmountMinor: -1 }],
    ["afterPurchaseWithinDays", { afterPurchaseAtPartnerId: "PARTNER" }],
    ["afterPurchaseAtPartnerId", { afterPurchaseWithinDays: 3 }],
    ["afterPurchaseWithinDays", { afterPurchaseAtPartnerId: "PARTNER", afterPurchaseWithinDays: -3 }],
    ["partnerIds", { partnerIds: [MISSING] }],
    ["fundedByPartnerId", { fundedByPartnerId: MISSING }],
    ["afterPurchaseAtPartnerId", { afterPurchaseAtPartnerId: MISSING, afterPurchaseWithinDays: 3 }],
    ["partnerIds", { partnerIds: ["not-an-id"] }],
    ["name", { name: "  " }],
  ])("bad input names %s and writes nothing", async (field, override) => {
    const partner = await registerPartner();
    const input: Record<string, unknown> = { name: "Bad", fundedByPartnerId: partner.id, startsAt: hoursFromNow(-1), endsAt: hoursFromNow(24), bonusPercent: 10, ...override };
    if (input.afterPurchaseAtPartnerId === "PARTNER") input.afterPurchaseAtPartnerId = partner.id;
    const before = await campaignRows();
    const result = await gql(CREATE_CAMPAIGN, { input });
    expect(result.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(result.errors?.[0]?.extensions?.field).toBe(field);
    expect(await campaignRows()).toBe(before);
  });

  it("a purchase's bonuses fit under the points cap together, or none is awarded and no budget is spent", async () => {
    // 1,000 points per 1.00. 1,000,000.00 at BASE gives 1,000,000,000 points (and PLATINUM, ×2, after it); 573,641.82 then
    // gives 1,147,283,640: 200,007 below the cap. The next purchase, 1.00, gives 1,000 × 2 = 2,000: 198,007 left for its bonuses.
    const [fits, passes] = [await registerPartner({ pointsPerUnit: 1_000 }), await registerPartner({ pointsPerUnit: 1_000 })];
    const [a, b] = [await enrollMember(), await enrollMember()];
    const buy = async (partner: typeof fits, memberId: string, amountMinor: number) =>
      (await ok(PURCHASE, { input: { partnerId: partner.id, memberId, amountMinor, currency: partner.currency, reference: unique("r") } })).recordPurchase;
    for (const [partner, member] of [[fits, a], [passes, b]] as const) {
      expect((await buy(partner, member.id, 100_000_000)).points).toBe(1_000_000_000);
      expect((await buy(partner, member.id, 57_364_182)).points).toBe(1_147_283_640);
    }
    // 100,000 + 98,007 = 198,007: exactly to the cap. 100,000 + 98,008 passes it by one: neither is awarded.
    const fitting = [await createCampaign({ fundedByPartnerId: fits.id, bonusPoints: 100_000 }), await createCampaign({ fundedByPartnerId: fits.id, bonusPoints: 98_007 })];
    const passing = [await createCampaign({ fundedByPartnerId: passes.id, bonusPoints: 100_000, budgetPoints: 1_000_000 }), await createCampaign({ fundedByPartnerId: passes.id, bonusPoints: 98_008 })];
    const awarded = await buy(fits, a.id, 100);
    expect(awarded.points).toBe(2_000);
    expect(awarded.bonuses.map((x: any) => [x.campaign.id, x.points])).toEqual([[fitting[0].id, 100_000], [fitting[1].id, 98_007]]);
    const refused = await buy(passes, b.id, 100);
    expect(refused.points).toBe(2_000);
    expect(refused.bonuses).toEqual([]);
    const balance = async (id: string) => (await ok(`query($id: ID!) { member(id: $id) { balance { available } } }`, { id })).member.balance.available;
    expect(await balance(a.id)).toBe(2_147_483_647);
    expect(await balance(b.id)).toBe(2_147_285_640);
    expect(await campaignById(passing[0].id, passes.id)).toMatchObject({ pointsAwarded: 0, membersRewarded: 0, budgetRemaining: 1_000_000 });
  });

  it("spendable bonuses repay a debt after the purchase's own points, campaign by campaign", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 }); // return window 0: points are spendable at once
    const member = await enrollMember();
    const ADJUST = `mutation($input: AdjustPointsInput!) { adjustPoints(input: $input) { points } }`;
    await ok(ADJUST, { input: { memberId: member.id, points: -100, reason: "CORRECTION", note: "debt for a campaign test", idempotencyKey: unique("adjust") } });
    await createCampaign({ fundedByPartnerId: partner.id, bonusPoints: 30 });
    await createCampaign({ fundedByPartnerId: partner.id, bonusPoints: 50 });
    // Debt 100. The purchase's 40 points repay 40 (60 left); the first bonus's 30 repay 30 (30 left); the second's 50 repay 30 and keep 20.
    const entry = await ok(PURCHASE, { input: { partnerId: partner.id, memberId: member.id, amountMinor: 4_000, currency: partner.currency, reference: unique("r") } });
    expect(entry.recordPurchase.bonuses.map((x: any) => x.points)).toEqual([30, 50]);
    const { member: seen } = await ok(`query($id: ID!) { member(id: $id) { balance { available pending } } }`, { id: member.id });
    expect(seen.balance).toEqual({ available: 20, pending: 0 });
    // ledger:verify (after each test) checks every balance against the lots left less the debt.
  });
});
