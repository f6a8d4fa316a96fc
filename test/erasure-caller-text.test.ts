import { createHash } from "node:crypto";
import { createReward, enrollFriendOf, enrollMember, recordPurchase, redeem, registerPartner } from "./support/fixtures";
import { type Caller, asAdmin, asMember, asPartnerApp, fails, gql, ok, unique } from "./support/gateway";
import { expectLedgerConsistent, ledgerTool } from "./support/ledger";
import { dbQuery, whereStored } from "./support/member-data";

const ERASE = `mutation($id: ID!) { eraseMember(id: $id) }`;
const ADJUST = `mutation($input: AdjustPointsInput!) { adjustPoints(input: $input) { id } }`;
const REVERSE = `mutation($input: ReversePurchaseInput!) { reversePurchase(input: $input) { id points } }`;
const TRANSFER = `mutation($input: TransferPointsInput!) { transferPoints(input: $input) { id points } }`;
const PURCHASE = `mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { id points } }`;

/** The digest an erasure leaves in place of a caller's text (README, Members' data): worked out here with node's own SHA-256. */
const digest = (text: string) => `erased:${createHash("sha256").update(text, "utf8").digest("hex")}`;

/** An admin's call carrying its own request id (x-request-id: letters, digits, `.`, `_`, `:` and `-` only). */
const withRequestId = (requestId: string, caller: Caller = asAdmin()): Caller => ({ ...caller, "x-request-id": requestId });

/**
 * Free text the callers chose, tied to one member: a partner's receipt reference and refund id, the
 * member app's transfer and redemption keys, the sender's key of a transfer the member received, an
 * admin's adjustment key and request ids. Each carries the member's name or address here (a partner
 * that puts the email in its reference); all of it must be gone from every service's database after
 * the erasure, and another member's alike must stay.
 */
async function memberWithCallerText(partner: Awaited<ReturnType<typeof registerPartner>>, rewardId: string, friendId: string) {
  const member = await enrollMember();
  const marker = unique("ada.byron"); // valid as a request id too
  const email = `${marker}@mail.example`;
  const texts = {
    reference: `receipt for ${email}`,
    refundReference: `refund for ${email}`,
    transferOut: `gift from ${email}`,
    transferIn: `gift to ${email}`,
    redemption: `voucher for ${email}`,
    adjustment: `ticket ${email}`,
  };
  // 30,000 cents at 1 point a unit: 300 points, available at once (returnWindowDays 0).
  await ok(PURCHASE, { input: { partnerId: partner.id, memberId: member.id, amountMinor: 30_000, currency: partner.currency, reference: texts.reference } }, withRequestId(`${marker}.purchase`));
  // 5,000 cents refunded: 50 points back, 250 left.
  await ok(REVERSE, { input: { partnerId: partner.id, reference: texts.reference, amountMinor: 5_000, refundReference: texts.refundReference } }, withRequestId(`${marker}.refund`));
  // 250 - 40 sent + 30 received = 240; a 100-point redemption leaves 140; +5 adjusted: 145.
  await ok(TRANSFER, { input: { fromMemberId: member.id, toMemberId: friendId, points: 40, idempotencyKey: texts.transferOut } }, asMember(member.id));
  await ok(TRANSFER, { input: { fromMemberId: friendId, toMemberId: member.id, points: 30, idempotencyKey: texts.transferIn } }, asMember(friendId));
  const redeemed = await redeem(member.id, rewardId, texts.redemption);
  expect(redeemed.redeemReward.status).toBe("COMPLETED");
  await ok(ADJUST, { input: { memberId: member.id, points: 5, reason: "GOODWILL", note: "late receipt", idempotencyKey: texts.adjustment } }, withRequestId(`${marker}.adjust`));
  return { member, marker, email, texts, redemptionId: redeemed.redeemReward.id as string };
}

describe("an erasure and the text callers chose about the member", () => {
  it("leaves no reference, key or request id of the member in any database, each replaced by its digest; another member's stay", async () => {
    const partner = await registerPartner();
    const reward = await createReward(partner.id, { costPoints: 100 });
    const friend = await enrollMember();
    await recordPurchase(partner, friend.id, 10_000); // 100 points for the friend to send 30 of
    const erased = await memberWithCallerText(partner, reward.id, friend.id);
    const kept = await memberWithCallerText(partner, reward.id, friend.id);

    // Before: the marker is stored where each text went (ledger transactions, catalog redemptions, the audit lines).
    const before = await whereStored(erased.marker);
    expect(before).toEqual(expect.arrayContaining(["ledger.transactions", "catalog.redemptions"]));
    const keptBefore = await whereStored(kept.marker);
    expect(keptBefore).toEqual(before);

    expect(await ok(ERASE, { id: erased.member.id }, withRequestId(`${erased.marker}.erase`))).toEqual({ eraseMember: true });

    expect(await whereStored(erased.marker)).toEqual([]);
    expect(await whereStored(erased.email)).toEqual([]);
    // The other member's texts are all still there, where they were.
    expect(await whereStored(kept.marker)).toEqual(keptBefore);
    const [purchase] = await dbQuery("ledger", `SELECT reference FROM transactions WHERE kind = 'EARN' AND reference = $1`, [kept.texts.reference]);
    expect(purchase).toEqual({ reference: kept.texts.reference });

    // A partner reconciles by hashing its own reference: the purchase and its refund are stored under that digest; each key
    // (reversal/refund-keys.ts: `reversal:<partner>:<receipt>:<refund id>`, neither holding a `:`) under its own.
    const rows = await dbQuery("ledger", `SELECT t.kind, t.idempotency_key, t.reference FROM transactions t WHERE t.partner_id = $1 AND t.reference = $2 ORDER BY t.kind`, [partner.id, digest(erased.texts.reference)]);
    expect(rows).toEqual([
      { kind: "EARN", idempotency_key: digest(`purchase:${partner.id}:${erased.texts.reference}`), reference: digest(erased.texts.reference) },
      { kind: "REVERSAL", idempotency_key: digest(`reversal:${partner.id}:${erased.texts.reference}:${erased.texts.refundReference}`), reference: digest(erased.texts.reference) },
    ]);
    expect(await dbQuery("catalog", `SELECT idempotency_key FROM redemptions WHERE member_id = $1`, [erased.member.id])).toEqual([{ idempotency_key: digest(erased.texts.redemption) }]);
    // The ledger's own texts stay: a redemption's entry is keyed and referenced by the redemption's id, which the catalog follows.
    expect(await dbQuery("ledger", `SELECT idempotency_key, reference FROM transactions WHERE kind = 'REDEEM' AND reference = $1`, [erased.redemptionId])).toEqual([
      { idempotency_key: `redemption:${erased.redemptionId}`, reference: erased.redemptionId },
    ]);

    // Replays after the erasure write nothing and say nothing of what was: the id is NOT_FOUND.
    const transactionsBefore = await dbQuery("ledger", `SELECT count(*)::int AS n FROM transactions t JOIN postings p ON p.transaction_id = t.id WHERE p.member_id = $1`, [erased.member.id]);
    const replay = await fails(PURCHASE, { input: { partnerId: partner.id, memberId: erased.member.id, amountMinor: 30_000, currency: partner.currency, reference: erased.texts.reference } }, "NOT_FOUND");
    expect(replay.message).not.toContain(erased.marker);
    await fails(TRANSFER, { input: { fromMemberId: friend.id, toMemberId: erased.member.id, points: 30, idempotencyKey: erased.texts.transferIn } }, "NOT_FOUND", asMember(friend.id));
    await fails(REVERSE, { input: { partnerId: partner.id, reference: erased.texts.reference, amountMinor: 5_000, refundReference: erased.texts.refundReference } }, "NOT_FOUND");
    expect(await dbQuery("ledger", `SELECT count(*)::int AS n FROM transactions t JOIN postings p ON p.transaction_id = t.id WHERE p.member_id = $1`, [erased.member.id])).toEqual(transactionsBefore);
    expect(await whereStored(erased.marker)).toEqual([]);

    // Erasing again changes nothing (the digests are not digested twice).
    expect(await ok(ERASE, { id: erased.member.id })).toEqual({ eraseMember: true });
    expect(await dbQuery("catalog", `SELECT idempotency_key FROM redemptions WHERE member_id = $1`, [erased.member.id])).toEqual([{ idempotency_key: digest(erased.texts.redemption) }]);

    await expectLedgerConsistent();
    const clearing = await ledgerTool("clearing-verify");
    expect([clearing.code, clearing.output]).toEqual([0, expect.any(String)]);
  });

  it("transactions stay append-only otherwise: no key of a member not erased, no other column, no text but the digest", async () => {
    const partner = await registerPartner();
    const member = await enrollMember();
    const reference = unique("receipt");
    await recordPurchase(partner, member.id, 10_000, { reference });
    const update = (set: string) => dbQuery("ledger", `UPDATE transactions SET ${set} WHERE partner_id = $1 AND kind = 'EARN' AND reference = $2`, [partner.id, reference]);
    await expect(update(`reference = 'erased:' || encode(sha256(convert_to(reference, 'UTF8')), 'hex')`)).rejects.toThrow(/append-only/);
    await ok(ERASE, { id: member.id });
    const digested = await dbQuery("ledger", `SELECT id FROM transactions WHERE partner_id = $1 AND reference = $2`, [partner.id, digest(reference)]);
    expect(digested).toHaveLength(1);
    const again = (set: string) => dbQuery("ledger", `UPDATE transactions SET ${set} WHERE id = $1`, [digested[0].id]);
    await expect(again(`reference = 'something else'`)).rejects.toThrow(/append-only/);
    await expect(again(`occurred_at = occurred_at - interval '1 day'`)).rejects.toThrow(/append-only/);
    await expect(dbQuery("ledger", `DELETE FROM transactions WHERE id = $1`, [digested[0].id])).rejects.toThrow(/append-only|foreign key/);
  });
});

describe("audit lines written about a member after their erasure", () => {
  it("keep the request id only as its digest: a partner marking the voucher used, a partner's replay, an admin's read", async () => {
    const partner = await registerPartner();
    const { issuePartnerApiKey } = await ok(`mutation($id: ID!) { issuePartnerApiKey(partnerId: $id) { key } }`, { id: partner.id });
    const app = asPartnerApp(issuePartnerApiKey.key);
    const reward = await createReward(partner.id, { costPoints: 100 });
    const member = await enrollMember();
    const reference = unique("receipt");
    await recordPurchase(partner, member.id, 30_000, { reference }); // 300 points, available at once
    const { voucherCode } = (await redeem(member.id, reward.id)).redeemReward;
    await ok(ERASE, { id: member.id });

    const marker = unique("ada.byron"); // a request id naming the member, as a careless partner's might
    // The voucher stays valid after the erasure (catalog), the partner's replay is refused (ledger), an admin reads the id (members).
    await ok(`mutation($code: String!) { markVoucherUsed(code: $code) { id } }`, { code: voucherCode }, withRequestId(`${marker}.used`, app));
    await fails(PURCHASE, { input: { partnerId: partner.id, memberId: member.id, amountMinor: 30_000, currency: partner.currency, reference } }, "NOT_FOUND", withRequestId(`${marker}.replay`, app));
    await gql(`query($id: ID!) { member(id: $id) { id displayName } }`, { id: member.id }, withRequestId(`${marker}.read`));

    expect(await whereStored(marker)).toEqual([]);
    // The lines are there, under the digests of those request ids (worked out here with node's SHA-256).
    const [used] = await dbQuery("catalog", `SELECT request_id FROM audit_events WHERE member_id = $1 AND action = 'MARK_VOUCHER_USED'`, [member.id]);
    expect(used).toEqual({ request_id: digest(`${marker}.used`) });
  });
});

describe("an erasure and the referral bonus the member's purchase paid", () => {
  it("leaves the refund's key on the referrer's bonus reversal as its digest, keeping the bonus it names", async () => {
    const partner = await registerPartner();
    const referrer = await enrollMember();
    const friend = await enrollFriendOf(referrer.id);
    const marker = unique("grace.hopper");
    const reference = `first purchase of ${marker}@mail.example`;
    await recordPurchase(partner, friend.id, 10_000, { reference });
    await ok(REVERSE, { input: { partnerId: partner.id, reference, amountMinor: 5_000, refundReference: `refund of ${marker}` } });
    // The refund took back half the referrer's bonus: a BONUS reversal on the referrer's account, keyed by the friend's refund.
    const referrersReversals = `SELECT t.idempotency_key, t.reference, t.reverses_transaction_id AS bonus FROM transactions t JOIN postings p ON p.transaction_id = t.id
                                WHERE p.member_id = $1 AND t.kind = 'BONUS' AND t.reversal_reason = 'PURCHASE_REFUND'`;
    const [reversal] = await dbQuery("ledger", referrersReversals, [referrer.id]);
    const refundKey = `reversal:${partner.id}:${reference}:refund of ${marker}`;
    expect(reversal).toEqual({ idempotency_key: `${refundKey}:bonus:${reversal.bonus}`, reference: null, bonus: expect.any(String) });

    await ok(ERASE, { id: friend.id });

    expect(await whereStored(marker)).toEqual([]);
    expect(await dbQuery("ledger", referrersReversals, [referrer.id])).toEqual([{ idempotency_key: `${digest(refundKey)}:bonus:${reversal.bonus}`, reference: null, bonus: reversal.bonus }]);
    await expectLedgerConsistent();
  });
});
