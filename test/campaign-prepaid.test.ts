import { expectClearingConsistent, periodOf, setTerms, statementOf } from "./support/clearing";
import { enrollMember, registerPartner } from "./support/fixtures";
import { gql, ok, unique } from "./support/gateway";
import { expectLedgerConsistent, travel } from "./support/ledger";
import { ENTRY_FIELDS, campaignById, createCampaign, offersOf } from "./support/campaigns";

/** A PREPAID partner funding bonuses (README, "Campaigns and referrals", How much; "The clearing house", Prepaid partners). */

const PURCHASE = `mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { ${ENTRY_FIELDS} } }`;
const TOP_UP = `mutation($i: AddPrepaidPointsInput!) { addPrepaidPoints(input: $i) { prepaidPointsRemaining } }`;
const remaining = async (partnerId: string) => (await ok(`query($id: ID!) { partner(id: $id) { prepaidPointsRemaining } }`, { id: partnerId })).partner.prepaidPointsRemaining;

describe("a PREPAID funder's bonuses", () => {
  afterEach(async () => {
    await expectLedgerConsistent();
    await expectClearingConsistent();
  });

  it("are cut to its allowance, and purchases at another partner never fail for it, even 10 at once", async () => {
    const [shop, funder] = [await registerPartner({ pointsPerUnit: 1 }), await registerPartner({ pointsPerUnit: 1 })];
    await setTerms(funder.id, { issue: 1000, redemption: 0, share: 0, billing: "PREPAID" });
    await ok(TOP_UP, { i: { partnerId: funder.id, points: 140, reference: unique("block") } });
    const campaign = await createCampaign({ fundedByPartnerId: funder.id, partnerIds: [shop.id], bonusPoints: 60 });
    const members = await Promise.all(Array.from({ length: 10 }, () => enrollMember()));
    const results = await Promise.all(
      members.map((m) => gql(PURCHASE, { input: { partnerId: shop.id, memberId: m.id, amountMinor: 1_000, currency: shop.currency, reference: unique("r") } })),
    );
    // Every purchase keeps its 10 points; the 140 prepaid points pay 60 + 60 + 20, the other bonuses nothing.
    expect(results.map((r) => r.errors ?? r.data!.recordPurchase.points)).toEqual(Array(10).fill(10));
    const bonuses = results.flatMap((r) => r.data!.recordPurchase.bonuses.map((b: { points: number }) => b.points)).sort((a, b) => a - b);
    expect(bonuses).toEqual([20, 60, 60]);
    expect(await remaining(funder.id)).toBe(0);
    expect(await campaignById(campaign.id)).toMatchObject({ pointsAwarded: 140, membersRewarded: 3, status: "ACTIVE" });
    // The funder's statement: the 140 bonus points at its issue price (1,000 per 1,000 points: 140 cents).
    expect((await statementOf(funder.id, periodOf(await travel(0)))).lines).toEqual(expect.arrayContaining([expect.objectContaining({ kind: "BONUSES_ISSUED", points: 140, amount: 140 })]));
    // With nothing left its bonus would be 0: not offered to a member it would otherwise suit, until a top-up.
    const newcomer = await enrollMember();
    const offered = async () => (await offersOf(newcomer.id)).includes(campaign.id);
    expect(await offered()).toBe(false);
    await ok(TOP_UP, { i: { partnerId: funder.id, points: 1, reference: unique("block") } });
    expect(await offered()).toBe(true);
  });

  it("at the funder itself come after its own points: a bonus takes what they leave, a purchase past the allowance still fails whole", async () => {
    const funder = await registerPartner({ pointsPerUnit: 1 });
    await setTerms(funder.id, { issue: 1000, redemption: 0, share: 0, billing: "PREPAID" });
    await ok(TOP_UP, { i: { partnerId: funder.id, points: 15, reference: unique("block") } });
    await createCampaign({ fundedByPartnerId: funder.id, bonusPoints: 60 });
    const member = await enrollMember();
    const purchase = (reference: string) => gql(PURCHASE, { input: { partnerId: funder.id, memberId: member.id, amountMinor: 1_000, currency: funder.currency, reference } });
    // 15 left: the purchase's own 10, then a bonus of the 5 left.
    const first = await purchase(unique("r"));
    expect(first.data!.recordPurchase).toMatchObject({ points: 10, bonuses: [expect.objectContaining({ points: 5 })] });
    expect(await remaining(funder.id)).toBe(0);
    // Nothing left for the next purchase's own points: refused as before, nothing written.
    expect((await purchase(unique("r"))).errors?.[0].extensions?.code).toBe("LIMIT_EXCEEDED");
    const { member: read } = await ok(`query($id: ID!) { member(id: $id) { balance { available pending } } }`, { id: member.id });
    expect(read.balance.available + read.balance.pending).toBe(15);
  });
});
