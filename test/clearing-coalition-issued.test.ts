import { periodOf } from "./support/clearing";
import { enrollMember } from "./support/fixtures";
import { ok, unique } from "./support/gateway";
import { expectLedgerConsistent, travel } from "./support/ledger";

/**
 * `ClearingReport.coalitionPointsIssued` is "Points the coalition itself funded in the period
 * (its own bonuses and adjustments)". Coalition points that leave (an erasure's forfeit, an expiry)
 * are posted to the nil owner's PARTNER_BREAKAGE account, a BREAKAGE line of the nil "partner", and
 * liveRecords summed every line of the nil owner: forfeited or expired coalition points were counted
 * as issued a second time (outside review); now only its issued lines.
 */
beforeAll(() => travel(0));

const COALITION_ISSUED = `query($p: String!) { clearing(period: $p) { coalitionPointsIssued } }`;
const ADJUST = `mutation($input: AdjustPointsInput!) { adjustPoints(input: $input) { id points } }`;

it("an erasure forfeiting coalition-funded points does not add to coalitionPointsIssued", async () => {
  const period = periodOf(new Date());
  const member = await enrollMember();
  const before = (await ok(COALITION_ISSUED, { p: period })).clearing.coalitionPointsIssued;
  await ok(ADJUST, { input: { memberId: member.id, points: 700, reason: "GOODWILL", note: "coalition goodwill", idempotencyKey: unique("ticket") } });
  const afterAdjust = (await ok(COALITION_ISSUED, { p: period })).clearing.coalitionPointsIssued;
  expect(afterAdjust).toBe(before + 700);

  expect(await ok(`mutation($id: ID!) { eraseMember(id: $id) }`, { id: member.id })).toEqual({ eraseMember: true });
  // The coalition issued 700 points this period, no more: the forfeit is breakage, not issuance.
  expect((await ok(COALITION_ISSUED, { p: period })).clearing.coalitionPointsIssued).toBe(before + 700);
  await expectLedgerConsistent();
}, 60_000);
