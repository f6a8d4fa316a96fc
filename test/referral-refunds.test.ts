import { enrollFriendOf, enrollMember, registerPartner } from "./support/fixtures";
import { ledgerClient } from "./support/clearing";
import { asMember, gql, ok, unique } from "./support/gateway";
import { expectLedgerConsistent, ledgerTool } from "./support/ledger";
import { availableAndPending, purchaseWithBonuses, recordPurchase } from "./support/campaigns";

/**
 * README, Campaigns and referrals, Refunds: a refund of the referred member's qualifying purchase takes
 * back the referrer's referral bonus in the same proportion as the friend's own bonuses. Before, the
 * referrer kept the 500 coalition-funded points of a purchase refunded in full (referral farming).
 * Partners earn 1 point per 100 minor units; REFERRAL_BONUS_POINTS is 500 in the test stack.
 */
const REVERSE = `mutation($input: ReversePurchaseInput!) { reversePurchase(input: $input) { id points } }`;
const PURCHASE = `mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { id } }`;
const TRANSFER = `mutation($input: TransferPointsInput!) { transferPoints(input: $input) { id points } }`;
const ACTIVITY = `query($id: ID!) { member(id: $id) { activity(first: 10) { edges { node { kind points reference partner { id } } } } } }`;

const activityOf = async (memberId: string) => (await ok(ACTIVITY, { id: memberId })).member.activity.edges.map((e: any) => e.node);
const refund = (partnerId: string, reference: string, amountMinor: number, refundReference = unique("refund")) =>
  ok(REVERSE, { input: { partnerId, reference, amountMinor, refundReference } });

describe("a refund of a referred member's first purchase", () => {
  afterEach(() => expectLedgerConsistent());

  it("in full takes the referrer's 500 back (a REVERSAL entry naming neither partner nor receipt), once, however often replayed", async () => {
    const shop = await registerPartner({ pointsPerUnit: 1 });
    const referrer = await enrollMember();
    const friend = await enrollFriendOf(referrer.id);
    const first = await purchaseWithBonuses(shop, friend.id, 1_000); // 10 points, and 500 each
    expect(first.bonuses.map((b) => b.points)).toEqual([500]);
    expect((await availableAndPending(referrer.id)).available).toBe(500);

    const refundReference = unique("refund");
    expect((await refund(shop.id, first.reference, 1_000, refundReference)).reversePurchase.points).toBe(-10);
    expect((await availableAndPending(friend.id)).available).toBe(0);
    expect((await availableAndPending(referrer.id)).available).toBe(0);
    expect(await activityOf(referrer.id)).toEqual([
      { kind: "REVERSAL", points: -500, reference: null, partner: null },
      { kind: "BONUS", points: 500, reference: null, partner: null },
    ]);
    // The same refund again: the first answer, nothing taken twice.
    expect((await refund(shop.id, first.reference, 1_000, refundReference)).reversePurchase.points).toBe(-10);
    expect((await availableAndPending(referrer.id)).available).toBe(0);
    expect((await activityOf(referrer.id)).length).toBe(2);
    // The referral stays consumed: the friend's next purchase pays no referral bonus to anyone.
    expect((await purchaseWithBonuses(shop, friend.id, 1_000)).bonuses).toEqual([]);
    expect((await availableAndPending(friend.id)).available).toBe(10);
    expect((await availableAndPending(referrer.id)).available).toBe(0);
  });

  it("by a third takes floor(500 / 3) = 166, and the rest 334 at the end", async () => {
    const shop = await registerPartner({ pointsPerUnit: 1 });
    const referrer = await enrollMember();
    const friend = await enrollFriendOf(referrer.id);
    const first = await purchaseWithBonuses(shop, friend.id, 900); // 9 points
    // 300 of 900: the friend's floor(9 × 300 / 900) = 3, each bonus floor(500 × 300 / 900) = floor(166.67) = 166.
    expect((await refund(shop.id, first.reference, 300)).reversePurchase.points).toBe(-3);
    expect((await availableAndPending(friend.id)).available).toBe(9 + 500 - 3 - 166);
    expect((await availableAndPending(referrer.id)).available).toBe(500 - 166);
    // The other 600: 9 − 3 = 6 and 500 − 166 = 334; nothing is left.
    expect((await refund(shop.id, first.reference, 600)).reversePurchase.points).toBe(-6);
    expect((await availableAndPending(friend.id)).available).toBe(0);
    expect((await availableAndPending(referrer.id)).available).toBe(0);
    expect((await activityOf(referrer.id)).map((e: { points: number }) => e.points)).toEqual([-334, -166, 500]);
  });

  it("leaves a referrer who spent the points owing them; an erased referrer is not touched", async () => {
    const shop = await registerPartner({ pointsPerUnit: 1 });
    const referrer = await enrollMember();
    const elsewhere = await enrollMember();
    const friend = await enrollFriendOf(referrer.id);
    const first = await purchaseWithBonuses(shop, friend.id, 1_000);
    await ok(TRANSFER, { input: { fromMemberId: referrer.id, toMemberId: elsewhere.id, points: 500, idempotencyKey: unique("gift") } }, asMember(referrer.id));
    expect((await availableAndPending(referrer.id)).available).toBe(0);
    await refund(shop.id, first.reference, 1_000);
    expect((await availableAndPending(referrer.id)).available).toBe(-500);
    expect((await availableAndPending(elsewhere.id)).available).toBe(500);

    const erased = await enrollMember();
    const secondFriend = await enrollFriendOf(erased.id);
    const second = await purchaseWithBonuses(shop, secondFriend.id, 1_000);
    expect(await ok(`mutation($id: ID!) { eraseMember(id: $id) }`, { id: erased.id })).toEqual({ eraseMember: true });
    expect((await refund(shop.id, second.reference, 1_000)).reversePurchase.points).toBe(-10);
    expect((await availableAndPending(secondFriend.id)).available).toBe(0);
    const db = await ledgerClient();
    try {
      // The erasure forfeited the 500; the refund writes nothing for the erased id.
      const { rows } = await db.query(
        `SELECT (SELECT count(*)::int FROM postings WHERE member_id = $1 AND entry_kind = 'REVERSAL') AS reversals,
                (SELECT balance::int FROM accounts WHERE kind = 'MEMBER' AND owner_id = $1) AS balance`,
        [erased.id],
      );
      expect(rows[0]).toEqual({ reversals: 0, balance: 0 });
    } finally {
      await db.end();
    }
  });

  it("ledger:verify reports a referrer's bonus whose reversed points differ from its reversals, or pass the refunded share", async () => {
    const shop = await registerPartner({ pointsPerUnit: 1 });
    const referrer = await enrollMember();
    const friend = await enrollFriendOf(referrer.id);
    const first = await purchaseWithBonuses(shop, friend.id, 900);
    await refund(shop.id, first.reference, 300); // 166 of the referrer's 500 taken back
    const db = await ledgerClient();
    const tamper = (points: number) => db.query(`UPDATE campaign_bonuses SET reversed_points = $2 WHERE member_id = $1`, [referrer.id, points]);
    try {
      await tamper(0); // as if the refund had left the referrer's bonus alone
      const unreversed = await ledgerTool("verify");
      await tamper(167); // one more than floor(500 × 300 / 900) = 166
      const tooMuch = await ledgerTool("verify");
      await tamper(166);
      expect({ unreversed: unreversed.code, tooMuch: tooMuch.code }).toEqual({ unreversed: 1, tooMuch: 1 });
      expect(unreversed.output).toContain("bonuses whose reversed points differ from what their refund reversals took");
      expect(tooMuch.output).toContain("bonuses refunds took back more of than their purchase's refunded share");
    } finally {
      await tamper(166);
      await db.end();
    }
  });

  it("racing a purchase by the referrer and transfers both ways between the two: no lock cycle, and the figures add up", async () => {
    const shop = await registerPartner({ pointsPerUnit: 1 });
    const round = async () => {
      const referrer = await enrollMember();
      await recordPurchase(shop, referrer.id, 10_000); // 100 points of their own
      const friend = await enrollFriendOf(referrer.id);
      const first = await purchaseWithBonuses(shop, friend.id, 1_000); // 10, and 500 each
      await recordPurchase(shop, friend.id, 10_000); // 100 more for the friend
      const results = await Promise.all([
        gql(REVERSE, { input: { partnerId: shop.id, reference: first.reference, amountMinor: 1_000, refundReference: unique("refund") } }),
        gql(PURCHASE, { input: { partnerId: shop.id, memberId: referrer.id, amountMinor: 1_000, currency: shop.currency, reference: unique("r") } }),
        gql(TRANSFER, { input: { fromMemberId: referrer.id, toMemberId: friend.id, points: 10, idempotencyKey: unique("gift") } }, asMember(referrer.id)),
        gql(TRANSFER, { input: { fromMemberId: friend.id, toMemberId: referrer.id, points: 10, idempotencyKey: unique("gift") } }, asMember(friend.id)),
      ]);
      expect(results.flatMap((r) => r.errors?.map((e) => `${e.extensions?.code}: ${e.message}`) ?? [])).toEqual([]);
      // The referrer: 100 + 500 − 500 + 10 − 10 + 10 = 110; the friend: 10 + 500 + 100 − 10 − 500 + 10 − 10 = 100.
      expect((await availableAndPending(referrer.id)).available).toBe(110);
      expect((await availableAndPending(friend.id)).available).toBe(100);
    };
    for (let i = 0; i < 3; i++) await Promise.all([round(), round(), round()]);
  });
});
