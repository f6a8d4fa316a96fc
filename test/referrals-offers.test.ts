import { type PartnerFixture, enrollMember, registerPartner } from "./support/fixtures";
import { ledgerClient } from "./support/clearing";
import { asMember, asPartnerApp, fails, gql, ok, unique } from "./support/gateway";
import { expectLedgerConsistent } from "./support/ledger";
import { availableAndPending, createCampaign, endCampaign, offersOf, purchaseWithBonuses, recordPurchase } from "./support/campaigns";

const ENROLL = `mutation($input: EnrollMemberInput!) { enrollMember(input: $input) { id } }`;
const DAY = 86_400_000;

const referralCodeOf = async (memberId: string) => (await ok(`query($id: ID!) { member(id: $id) { referralCode } }`, { id: memberId }, asMember(memberId))).member.referralCode as string;
const enrollWith = async (referralCode: string) => (await ok(ENROLL, { input: { email: `${unique("friend")}@example.com`, displayName: "Friend", referralCode } })).enrollMember as { id: string };
/** The referrals part of a member's own data export. */
const referralsIn = async (id: string) => (await ok(`query($id: ID!) { member(id: $id) { dataExport } }`, { id }, asMember(id))).member.dataExport.services.ledger.referrals;
const ownOffers = (memberId: string) => offersOf(memberId, asMember(memberId));

describe("referrals", () => {
  afterEach(() => expectLedgerConsistent());

  it("the referred member's first purchase gives both 500 coalition-funded BONUS points, once", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const referrer = await enrollMember();
    const code = await referralCodeOf(referrer.id);
    expect(code).toMatch(/^[0-9A-F]{16}$/);
    await fails(`query($id: ID!) { member(id: $id) { referralCode } }`, { id: referrer.id }, "FORBIDDEN", asMember((await enrollMember()).id));
    const friend = await enrollWith(code.toLowerCase());
    const madeAt = new Date(Date.now() - 2 * DAY).toISOString(); // recorded late: the friend's entries are dated then
    const first = await purchaseWithBonuses(partner, friend.id, 1_000, { occurredAt: madeAt });
    expect(first.bonuses).toEqual([{ id: expect.any(String), kind: "BONUS", points: 500, partner: { id: partner.id }, campaign: null }]);
    expect((await purchaseWithBonuses(partner, friend.id, 1_000)).bonuses).toEqual([]);
    expect((await availableAndPending(friend.id)).available).toBe(10 + 500 + 10);
    expect((await availableAndPending(referrer.id)).available).toBe(500);
    // The referrer's entry says neither where nor what the friend bought, and is dated when it was posted.
    const { member } = await ok(`query($id: ID!) { member(id: $id) { activity(first: 5) { edges { node { kind points reference partner { id } occurredAt } } } } }`, { id: referrer.id });
    expect(member.activity.edges.map((e: any) => e.node)).toEqual([{ kind: "BONUS", points: 500, reference: null, partner: null, occurredAt: expect.any(String) }]);
    expect(Date.parse(member.activity.edges[0].node.occurredAt)).toBeGreaterThan(Date.parse(madeAt) + DAY);
    // Each one's data export holds its own side of the referral, never the other member's id or the friend's purchase.
    // Whether the referrer was rewarded is the referrer's alone (not rewarded: erased, at their limit, or near the points cap); when the
    // referral was made is the friend's (their enrolment, which `enrolledAt` shows only them and admins).
    const own = { bonus_points: 500, referrer_max: 20 };
    expect(await referralsIn(referrer.id)).toEqual([{ ...own, referrer_member_id: referrer.id, referred_member_id: null, earn_transaction_id: null, referrer_rewarded: true, created_at: null }]);
    expect(await referralsIn(friend.id)).toEqual([{ ...own, referrer_member_id: null, referred_member_id: friend.id, earn_transaction_id: expect.any(String), referrer_rewarded: null, created_at: expect.any(String) }]);
  });

  it("a referrer is rewarded for at most 20 referred members, even when 21 buy at once; each referred member still gets theirs", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const referrer = await enrollMember();
    const code = await referralCodeOf(referrer.id);
    const friends = await Promise.all(Array.from({ length: 21 }, () => enrollWith(code)));
    await Promise.all(friends.map((f) => recordPurchase(partner, f.id, 100)));
    expect((await availableAndPending(referrer.id)).available).toBe(20 * 500);
    for (const f of friends.slice(0, 3)) expect((await availableAndPending(f.id)).available).toBe(501);
  });

  it("a purchase that earns no points does not count as the first; an erased referrer gets nothing, the friend still does", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 }); // 1 point per 100 minor units: a one-cent receipt earns 0
    const referrer = await enrollMember();
    const friend = await enrollWith(await referralCodeOf(referrer.id));
    expect(await purchaseWithBonuses(partner, friend.id, 1)).toMatchObject({ points: 0, bonuses: [] });
    expect((await availableAndPending(referrer.id)).available).toBe(0);
    // The referral waited for the first purchase that earns points: 1,000 minor units, 10 points, and both bonuses.
    expect((await purchaseWithBonuses(partner, friend.id, 1_000)).bonuses.map((b: { points: number }) => b.points)).toEqual([500]);
    expect((await availableAndPending(friend.id)).available).toBe(10 + 500);
    expect((await availableAndPending(referrer.id)).available).toBe(500);

    const erased = await enrollMember();
    const secondFriend = await enrollWith(await referralCodeOf(erased.id));
    expect(await ok(`mutation($id: ID!) { eraseMember(id: $id) }`, { id: erased.id })).toEqual({ eraseMember: true });
    expect((await purchaseWithBonuses(partner, secondFriend.id, 1_000)).bonuses.map((b: { points: number }) => b.points)).toEqual([500]);
    const db = await ledgerClient();
    try {
      // Nothing after the forfeit: no BONUS entry, the balance the forfeit left (0), the referral not marked rewarded.
      const { rows } = await db.query(
        `SELECT (SELECT count(*)::int FROM postings WHERE member_id = $1 AND entry_kind = 'BONUS') AS bonuses,
                (SELECT balance::int FROM accounts WHERE kind = 'MEMBER' AND owner_id = $1) AS balance,
                (SELECT referrer_rewarded FROM referrals WHERE referred_member_id = $2) AS rewarded`,
        [erased.id, secondFriend.id],
      );
      expect(rows[0]).toEqual({ bonuses: 0, balance: 0, rewarded: false });
    } finally {
      await db.end();
    }
    // The friend's export does not tell that their referrer was erased: it reads as a kept referrer's friend's does.
    expect(await referralsIn(secondFriend.id)).toEqual([
      { bonus_points: 500, referrer_max: 20, created_at: expect.any(String), referrer_member_id: null, referred_member_id: secondFriend.id, earn_transaction_id: expect.any(String), referrer_rewarded: null },
    ]);
  });

  it("an unknown code and (outside a till) a member's own are BAD_USER_INPUT, and nothing is enrolled", async () => {
    const email = `${unique("nobody")}@example.com`;
    for (const referralCode of ["0000000000000000", "not a code"]) {
      const error = await fails(ENROLL, { input: { email, displayName: "Nobody", referralCode } }, "BAD_USER_INPUT");
      expect(error.extensions?.field).toBe("referralCode");
    }
    await fails(ENROLL, { input: { email, displayName: "Nobody", referralCode: "\u0000" } }, "BAD_USER_INPUT"); // the input guard's
    await ok(ENROLL, { input: { email, displayName: "Nobody" } }); // the address was never taken
    const partner = await registerPartner();
    const key = (await ok(`mutation($id: ID!) { issuePartnerApiKey(partnerId: $id) { key } }`, { id: partner.id })).issuePartnerApiKey.key;
    const self = await enrollMember();
    const ownCode = { email: self.email, displayName: "Me", referralCode: await referralCodeOf(self.id) };
    expect((await fails(ENROLL, { input: ownCode }, "BAD_USER_INPUT")).extensions?.field).toBe("referralCode");
    // At a till the owner's own address is answered like any enrolled address (the answer never tells whether one is):
    // the member, unchanged, with no referral that could pay.
    expect((await ok(ENROLL, { input: ownCode }, asPartnerApp(key))).enrollMember).toEqual({ id: self.id });
    await recordPurchase(partner, self.id, 1_000);
    expect((await availableAndPending(self.id)).available).toBe(10);
  });
});

describe("Member.offers", () => {
  afterEach(() => expectLedgerConsistent());

  it("lists the campaigns active now that this member could benefit from", async () => {
    const [bookstore, cafe] = [await registerPartner({ pointsPerUnit: 1 }), await registerPartner({ pointsPerUnit: 1 })];
    const [regular, newcomer] = [await enrollMember(), await enrollMember()];
    await recordPurchase(bookstore, regular.id, 1_000, { occurredAt: new Date(Date.now() - 2 * DAY).toISOString() });
    await recordPurchase(cafe, regular.id, 1_000);
    const plain = await createCampaign({ fundedByPartnerId: cafe.id, bonusPercent: 100 });
    const welcome = await createCampaign({ fundedByPartnerId: cafe.id, bonusPoints: 50, firstPurchaseAtPartner: true });
    const crossBrand = await createCampaign({ fundedByPartnerId: cafe.id, bonusPercent: 200, afterPurchaseAtPartnerId: bookstore.id, afterPurchaseWithinDays: 3 });
    const oneDay = await createCampaign({ fundedByPartnerId: cafe.id, bonusPercent: 200, afterPurchaseAtPartnerId: bookstore.id, afterPurchaseWithinDays: 1 });
    const gold = await createCampaign({ fundedByPartnerId: cafe.id, bonusPoints: 5, minimumTier: "GOLD" });
    const capped = await createCampaign({ fundedByPartnerId: bookstore.id, bonusPoints: 5, maxBonusPerMember: 5 });
    const ended = await createCampaign({ fundedByPartnerId: cafe.id, bonusPoints: 5 });
    await endCampaign(ended.id);
    const mine = [plain, welcome, crossBrand, oneDay, gold, capped, ended].map((c) => c.id);
    const ours = async (memberId: string) => (await ownOffers(memberId)).filter((id) => mine.includes(id)).sort();
    // The regular: earned at the bookstore 2 days ago (inside 3 days, not 1), already bought at the café, BASE tier.
    expect(await ours(regular.id)).toEqual([plain.id, crossBrand.id, capped.id].sort());
    expect(await ours(newcomer.id)).toEqual([plain.id, welcome.id, capped.id].sort());
    // A bookstore purchase now: the capped campaign's 5 points are taken, and both cross-brand offers open.
    await recordPurchase(bookstore, newcomer.id, 100);
    expect(await ours(newcomer.id)).toEqual([plain.id, welcome.id, crossBrand.id, oneDay.id].sort());
    expect((await gql(`query($id: ID!) { member(id: $id) { offers { id } } }`, { id: regular.id }, asMember(newcomer.id))).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("a category welcome campaign is offered until the member has bought at every partner of the category the ledger knows", async () => {
    const [inn, hostel] = [await registerPartner({ pointsPerUnit: 1, category: "TRAVEL" }), await registerPartner({ pointsPerUnit: 1, category: "TRAVEL" })];
    await recordPurchase(hostel, (await enrollMember()).id, 100); // someone else's purchase: the ledger learns the hostel's category
    const welcome = await createCampaign({ fundedByPartnerId: inn.id, categories: ["TRAVEL"], firstPurchaseAtPartner: true, bonusPoints: 5 });
    const member = await enrollMember();
    const offered = async () => (await ownOffers(member.id)).includes(welcome.id);
    expect(await offered()).toBe(true);
    await recordPurchase(inn, member.id, 100);
    expect(await offered()).toBe(true); // the hostel has not seen the member yet
    // Every other TRAVEL partner the ledger knows (other test files may have made some) sees the member too.
    const db = await ledgerClient();
    try {
      const { rows } = await db.query(`SELECT partner_id FROM campaign_partner_categories WHERE category = 'TRAVEL' AND partner_id <> $1`, [inn.id]);
      for (const { partner_id: id } of rows) {
        const { partner } = await ok(`query($id: ID!) { partner(id: $id) { id currency pointsPerUnit slug } }`, { id });
        await recordPurchase(partner as PartnerFixture, member.id, 100);
      }
    } finally {
      await db.end();
    }
    expect(await offered()).toBe(false);
  });
});
