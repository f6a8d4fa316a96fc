import { expectClearingConsistent, ledgerClient, monthStart, periodOf, setTerms, statementOf } from "./support/clearing";
import { enrollMember, recordPurchase, registerPartner } from "./support/fixtures";
import { expectLedgerConsistent, ledgerTool, travel } from "./support/ledger";

/**
 * `ledger:expire --now` in the past (an operator catching up a run that did not happen) expires the lots
 * due by then, but the breakage is posted when the tool writes it: in the open month, never into a past
 * one (README, The clearing house, Periods). Before, it was posted at --now: into last month, at last
 * month's terms, so a month before the first close (which can never close) or one about to close got it.
 * At the real date (the tool reads the machine's clock), so one lot is made due last month in the database.
 */
const DAY = 86_400_000;

beforeAll(() => travel(0));

it("an expiry run as of last month posts its breakage in this month, at the share in force now", async () => {
  const partner = await registerPartner({ pointsPerUnit: 1, returnWindowDays: 0 });
  await setTerms(partner.id, { issue: 1000, redemption: 800, share: 50 }); // from now on
  const member = (await enrollMember()).id;
  await recordPurchase(partner, member, 100_000); // 1,000 points charged at 1,000: 1,000 cents
  const thisMonth = monthStart(new Date());
  const db = await ledgerClient();
  try {
    await db.query(`UPDATE lots SET expires_at = $2 WHERE partner_id = $1`, [partner.id, new Date(thisMonth.getTime() - 5 * DAY)]);
  } finally {
    await db.end();
  }
  const run = await ledgerTool("expire", ["--now", new Date(thisMonth.getTime() - DAY).toISOString()]);
  expect(run.code).toBe(0);
  // 1,000 points charged at 1,000, 50 % back: 500 cents credited, in the month the run wrote it.
  expect(await statementOf(partner.id, periodOf(thisMonth))).toMatchObject({
    pointsIssued: 1_000, pointsExpired: 1_000, expiredAmount: -500, netAmount: 500,
  });
  expect(await statementOf(partner.id, periodOf(monthStart(thisMonth, -1)))).toMatchObject({ lines: [], netAmount: 0 });
  // The lot's moved expiry is nothing the other suites' verifications check: the whole ledger still verifies.
  await expectLedgerConsistent();
  await expectClearingConsistent();
});
