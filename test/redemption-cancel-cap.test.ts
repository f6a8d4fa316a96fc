import { redemptionPastTheCap } from "./support/cancel-past-cap";
import { gql } from "./support/gateway";
import { expectCatalogConsistent } from "./support/consistency";
import { expectLedgerConsistent } from "./support/ledger";

const CANCEL = `mutation($id: ID!) { cancelRedemption(id: $id) { id status } }`;
const USED = `mutation($code: String!) { markVoucherUsed(code: $code) { id status voucherUsedAt } }`;
const codeOf = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => r.errors?.[0]?.extensions?.code ?? "OK";

afterEach(async () => {
  await expectLedgerConsistent();
  await expectCatalogConsistent();
});

/**
 * README, Vouchers: a cancellation whose points would take the member's balance past the cap. The
 * ledger refuses it (LIMIT_EXCEEDED); the catalog answered UPSTREAM_UNAVAILABLE, "it will complete
 * automatically", forever, the sweep retrying in vain and the voucher refused as cancelled (outside review).
 */
it("a cancellation the ledger refuses for the member cap answers that refusal and leaves the voucher usable", async () => {
  const { redemption: redeemReward } = await redemptionPastTheCap();

  const first = await gql(CANCEL, { id: redeemReward.id });
  const again = await gql(CANCEL, { id: redeemReward.id });
  // A business refusal, not "retry shortly: it will complete automatically" (it never will).
  expect([codeOf(first), codeOf(again)]).toEqual(["LIMIT_EXCEEDED", "LIMIT_EXCEEDED"]);
  // Nothing written: the member keeps the voucher they paid for.
  const used = await gql(USED, { code: redeemReward.voucherCode });
  expect(codeOf(used)).toBe("OK");
});
