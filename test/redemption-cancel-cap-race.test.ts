import { redemptionPastTheCap } from "./support/cancel-past-cap";
import { lockWaits } from "./support/lock-waits";
import { Client } from "pg";
import { withDatabase } from "../shared/src/config";
import { enrollMember } from "./support/fixtures";
import { gql, ok, unique } from "./support/gateway";

const RECORD = `mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { id points } }`;
const TRANSFER = `mutation($input: TransferPointsInput!) { transferPoints(input: $input) { id points } }`;
const CANCEL = `mutation($id: ID!) { cancelRedemption(id: $id) { id status } }`;
const USED = `mutation($code: String!) { markVoucherUsed(code: $code) { id status voucherUsedAt } }`;
const codeOf = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => String(r.errors?.[0]?.extensions?.code ?? "OK");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const dbUrl = (service: string) => withDatabase(process.env.TEST_DATABASE_URL!, `coalition_${service}${process.env.TEST_DATABASE_NAME_SUFFIX}`);

/**
 * README, Vouchers: a cancellation past the member cap is LIMIT_EXCEEDED, "nothing done, the voucher
 * valid". A second finisher of the same claim (a retry that saw it, or the sweep's stale row) whose
 * ledger call runs after the member's balance fell must not give the points back once the claim was
 * dropped and the voucher used.
 */
it("a cancellation refused for the cap: a concurrent finisher of the same claim does not refund a voucher used since", async () => {
  const { partner, near, redemption: redeemReward } = await redemptionPastTheCap();
  const purchase = (memberId: string, amountMinor: number) => ({ input: { partnerId: partner.id, memberId, amountMinor, currency: partner.currency, reference: unique("receipt") } });
  // A receiver the transfer locks after the member (ids in order), with an account of its own.
  let receiver = await enrollMember();
  while (receiver.id <= near.id) receiver = await enrollMember();
  await ok(RECORD, purchase(receiver.id, 1_000));

  const ledger = new Client({ connectionString: dbUrl("ledger") });
  const catalog = new Client({ connectionString: dbUrl("catalog") });
  const [holdMember, holdReceiver] = [new Client({ connectionString: dbUrl("ledger") }), new Client({ connectionString: dbUrl("ledger") })];
  await Promise.all([ledger.connect(), catalog.connect(), holdMember.connect(), holdReceiver.connect()]);
  // Requests waiting on a lock, in the ledger or the catalog.
  const { until } = lockWaits(ledger, catalog);
  try {
    for (const [client, id] of [[holdMember, near.id], [holdReceiver, receiver.id]] as const) {
      await client.query("BEGIN");
      await client.query(`SELECT 1 FROM accounts WHERE kind = 'MEMBER' AND owner_id = $1 FOR UPDATE`, [id]);
    }
    const first = gql(CANCEL, { id: redeemReward.id }); // claims; its refund waits for the member
    await until(1);
    const transfer = gql(TRANSFER, { input: { fromMemberId: near.id, toMemberId: receiver.id, points: 1_000, idempotencyKey: unique("out") } });
    await until(2);
    const second = gql(CANCEL, { id: redeemReward.id }); // sees the claim; waits behind the first
    await until(3);
    await holdMember.query("COMMIT");
    expect(codeOf(await first)).toBe("LIMIT_EXCEEDED"); // "nothing done, the voucher valid"
    const used = gql(USED, { code: redeemReward.voucherCode });
    await sleep(300);
    await holdReceiver.query("COMMIT");
    const answers = { used: codeOf(await used), transfer: codeOf(await transfer), second: codeOf(await second) };
    const { member } = await ok(`query($id: ID!) { member(id: $id) { balance { available } redemptions(first: 5) { id status } } }`, { id: near.id });
    // The voucher used and the points given back: both would be the member's.
    const refunded = member.balance.available === 2_147_483_640 - 1_000 + 100;
    const voucherUsed = answers.used === "OK";
    expect({ answers, refunded, voucherUsed, status: member.redemptions[0].status }).toEqual(
      expect.objectContaining({ refunded: !voucherUsed }),
    );
  } finally {
    for (const client of [holdMember, holdReceiver]) await client.query("ROLLBACK").catch(() => undefined);
    await Promise.all([ledger.end(), catalog.end(), holdMember.end(), holdReceiver.end()]);
  }
}, 60_000);
