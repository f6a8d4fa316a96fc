import { ledgerClient } from "./support/clearing";
import { createReward, enrollMember, recordPurchase, redeem, registerPartner } from "./support/fixtures";
import { asMember, ok, unique } from "./support/gateway";
import { expectLedgerConsistent, ledgerTool, travel } from "./support/ledger";

const DAY = 86_400_000;
const exportOf = async (memberId: string) => (await ok(`query($id: ID!) { member(id: $id) { dataExport } }`, { id: memberId }, asMember(memberId))).member.dataExport;
const ACTIVITY = `query($id: ID!) { member(id: $id) { activity(first: 20) { edges { node { kind points partner { id } } } } } }`;

beforeAll(() => travel(0));

/**
 * A transfer's receiver never learns where the sender earned the points (test/member-export-privacy.test.ts):
 * not when those points expire either. The EXPIRY transaction names the lot's issuer (its breakage is that
 * partner's, for the clearing house), which for a transferred lot is the sender's.
 */
it("the expiry of transferred points names no partner to the receiver, in the activity or the export", async () => {
  const earnedAt = await registerPartner({ pointsPerUnit: 1, returnWindowDays: 0 });
  const [sender, receiver] = [await enrollMember(), await enrollMember()];
  await recordPurchase(earnedAt, sender.id, 50_000);
  await ok(`mutation($input: TransferPointsInput!) { transferPoints(input: $input) { id } }`, { input: { fromMemberId: sender.id, toMemberId: receiver.id, points: 100, idempotencyKey: unique("t") } }, asMember(sender.id));
  // The receiver's transferred lot falls due (in the database), and a catch-up run expires it.
  const due = new Date(Date.now() - DAY);
  const db = await ledgerClient();
  try {
    // With the sender's lot it came from: a lot keeps its origin's expiry (ledger:verify checks it).
    await db.query(`UPDATE lots SET expires_at = $2 WHERE member_id = $1 OR id IN (SELECT origin_lot_id FROM lots WHERE member_id = $1)`, [receiver.id, due]);
  } finally {
    await db.end();
  }
  const run = await ledgerTool("expire", ["--now", new Date(due.getTime() + 1000).toISOString()]);
  expect(run.code).toBe(0);

  const activity = (await ok(ACTIVITY, { id: receiver.id }, asMember(receiver.id))).member.activity.edges.map((e: { node: unknown }) => e.node);
  expect(activity).toContainEqual({ kind: "EXPIRY", points: -100, partner: null });
  const whole = JSON.stringify(await exportOf(receiver.id));
  expect(whole).not.toContain(earnedAt.id);
  expect(whole).not.toContain(sender.id);
  await expectLedgerConsistent();
});

it("the member's own points, returned by a cancelled redemption, still name their issuer when they expire", async () => {
  const [earnedAt, offering] = [await registerPartner({ pointsPerUnit: 1, returnWindowDays: 0 }), await registerPartner()];
  const member = await enrollMember();
  await recordPurchase(earnedAt, member.id, 50_000);
  const reward = await createReward(offering.id, { costPoints: 60 });
  const { redeemReward } = await redeem(member.id, reward.id);
  await ok(`mutation($id: ID!) { cancelRedemption(id: $id) { status } }`, { id: redeemReward.id }, asMember(member.id));
  const due = new Date(Date.now() - DAY);
  const db = await ledgerClient();
  try {
    // With the lot the redemption took them from, whose expiry they keep (ledger:verify checks it): that lot's 440 expire too.
    await db.query(`UPDATE lots SET expires_at = $2 WHERE member_id = $1`, [member.id, due]);
  } finally {
    await db.end();
  }
  expect((await ledgerTool("expire", ["--now", new Date(due.getTime() + 1000).toISOString()])).code).toBe(0);
  const activity = (await ok(ACTIVITY, { id: member.id }, asMember(member.id))).member.activity.edges.map((e: { node: unknown }) => e.node);
  expect(activity).toContainEqual({ kind: "EXPIRY", points: -60, partner: { id: earnedAt.id } });
  const exported = (await exportOf(member.id)).services.ledger.transactions.filter((t: { kind: string }) => t.kind === "EXPIRY");
  expect(exported.map((t: { partner_id: string }) => t.partner_id)).toEqual([earnedAt.id, earnedAt.id]);
  await expectLedgerConsistent();
});
