import { expectClearingConsistent, setTerms } from "./support/clearing";
import { createReward, enrollMember, recordPurchase, registerPartner } from "./support/fixtures";
import { gql, ok, unique } from "./support/gateway";
import { expectLedgerConsistent } from "./support/ledger";
import { hoursFromNow } from "./support/campaigns";

/**
 * The liability by issuer is one row per issuer (clearing_outstanding), kept by the lots' trigger: a
 * redemption taking two issuers' lots and a purchase whose bonus another partner funds both change two
 * issuers' rows, in opposite orders. Fired at once, none may fail.
 */
it("redemptions across issuers and cross-funded purchases at once: every one succeeds, the liability matches the lots", async () => {
  const [G, A, H] = await Promise.all([0, 1, 2].map(() => registerPartner({ pointsPerUnit: 1, returnWindowDays: 0 })));
  for (const p of [G, A, H]) await setTerms(p.id, { issue: 1000, redemption: 800, share: 50 });
  for (const [funder, at] of [[G, A], [A, G]]) {
    await ok(`mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { id } }`,
      { i: { name: unique("c"), startsAt: hoursFromNow(-1), endsAt: hoursFromNow(24), fundedByPartnerId: funder.id, partnerIds: [at.id], bonusPoints: 10 } });
  }
  const members = await Promise.all(Array.from({ length: 12 }, () => enrollMember()));
  for (const m of members) {
    await recordPurchase(G, m.id, 100_000);
    await recordPurchase(A, m.id, 100_000);
  }
  const reward = await createReward(H.id, { costPoints: 1_500 });
  const results = await Promise.all(members.flatMap((m) => [
    gql(`mutation($i: RedeemRewardInput!) { redeemReward(input: $i) { id } }`, { i: { memberId: m.id, rewardId: reward.id, idempotencyKey: unique("r") } }),
    gql(`mutation($i: RecordPurchaseInput!) { recordPurchase(input: $i) { id } }`, { i: { partnerId: G.id, memberId: (members[(members.indexOf(m) + 1) % members.length]).id, amountMinor: 1_000, currency: "EUR", reference: unique("p") } }),
    gql(`mutation($i: RecordPurchaseInput!) { recordPurchase(input: $i) { id } }`, { i: { partnerId: A.id, memberId: (members[(members.indexOf(m) + 2) % members.length]).id, amountMinor: 1_000, currency: "EUR", reference: unique("p") } }),
  ]));
  expect(results.flatMap((r) => r.errors ?? []).map((e) => `${e.extensions?.code}: ${e.message}`)).toEqual([]);
  await expectLedgerConsistent();
  await expectClearingConsistent();
}, 120_000);
