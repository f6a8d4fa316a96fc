import { expectClearingConsistent, ledgerClient, setTerms } from "./support/clearing";
import { createReward, enrollMember, recordPurchase, redeem, registerPartner } from "./support/fixtures";
import { ok, unique } from "./support/gateway";
import { travel } from "./support/ledger";

/**
 * README, The clearing house: "transferred (and returned) points keep the price they were charged". Points
 * older than the clearing house (a lot with no price, as ClearingHouse1734000000000 left them) were charged
 * nothing; a transfer or a cancelled redemption must not price their new lot at the issuer's terms of today
 * (its breakage and liability would then be valued at a price never charged).
 */
beforeAll(() => travel(0));

it("transferred and returned points older than the clearing house keep their price: none", async () => {
  const shop = await registerPartner({ pointsPerUnit: 1, returnWindowDays: 0 });
  const [a, b] = [await enrollMember(), await enrollMember()];
  const purchase = await recordPurchase(shop, a.id, 100_000); // 1,000 points, no terms yet
  const reward = await createReward(shop.id, { costPoints: 300 });
  const db = await ledgerClient();
  try {
    // As a lot written before the clearing house: no price.
    await db.query(`UPDATE lots SET issue_price_per_1000 = NULL WHERE transaction_id = (SELECT transaction_id FROM postings WHERE id = $1)`, [purchase.id]);
    const { redeemReward } = await redeem(a.id, reward.id); // 300 of them
    await setTerms(shop.id, { issue: 2000, redemption: 0, share: 50 });
    await ok(`mutation($i: TransferPointsInput!) { transferPoints(input: $i) { id } }`, { i: { fromMemberId: a.id, toMemberId: b.id, points: 400, idempotencyKey: unique("t") } });
    await ok(`mutation($id: ID!) { cancelRedemption(id: $id) { status } }`, { id: redeemReward.id });
    const { rows } = await db.query(
      `SELECT source, coalesce(issue_price_per_1000, 0)::int AS price FROM lots WHERE member_id = ANY($1::uuid[]) AND source IN ('TRANSFER', 'RETURN') ORDER BY source`,
      [[a.id, b.id]],
    );
    expect(rows).toEqual([{ source: "RETURN", price: 0 }, { source: "TRANSFER", price: 0 }]);
  } finally {
    await db.end();
  }
  await expectClearingConsistent();
}, 60_000);
