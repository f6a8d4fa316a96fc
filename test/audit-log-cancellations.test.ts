import { redemptionPastTheCap } from "./support/cancel-past-cap";
import { enrollMember } from "./support/fixtures";
import { asAdmin, gql, ok, unique } from "./support/gateway";

const RECORD = `mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { id points } }`;
const REDEEM = `mutation($input: RedeemRewardInput!) { redeemReward(input: $input) { id status voucherCode } }`;
const CANCEL = `mutation($id: ID!) { cancelRedemption(id: $id) { id status } }`;
const AUDIT = `query($memberId: ID) { auditLog(first: 100, memberId: $memberId) { edges { node { service actor action targetId outcome errorCode } } } }`;

it("an admin's cancellation the ledger refuses (member cap) leaves no SUCCEEDED CANCEL_REDEMPTION line", async () => {
  const { partner, near, redemption: redeemReward, reward } = await redemptionPastTheCap();
  const purchase = (memberId: string, amountMinor: number) => ({ input: { partnerId: partner.id, memberId, amountMinor, currency: partner.currency, reference: unique("receipt") } });

  const answer = await gql(CANCEL, { id: redeemReward.id });
  expect(answer.errors?.[0]?.extensions?.code).toBe("LIMIT_EXCEEDED");
  const status = (await ok(`query($id: ID!) { member(id: $id) { redemptionsConnection(first: 5) { edges { node { id status } } } } }`, { id: near.id })).member.redemptionsConnection.edges.map((e: any) => e.node.status);
  expect(status).toEqual(["COMPLETED"]); // nothing was cancelled
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const cancelLines = (await ok(AUDIT, { memberId: near.id })).auditLog.edges.map((e: any) => e.node).filter((l: any) => l.action === "CANCEL_REDEMPTION");
  // The trail must not say the admin cancelled it: the cancellation did not happen.
  expect(cancelLines.filter((l: any) => l.outcome === "SUCCEEDED")).toEqual([]);

  // A cancellation that happens still has its one line, naming the admin who asked and in which request.
  const member = await enrollMember();
  await ok(RECORD, purchase(member.id, 1_000_000));
  const { redeemReward: second } = await ok(REDEEM, { input: { memberId: member.id, rewardId: reward.id, idempotencyKey: unique("key") } });
  const requestId = unique("cancel-req");
  expect((await ok(CANCEL, { id: second.id }, { ...asAdmin(), "x-request-id": requestId })).cancelRedemption.status).toBe("CANCELLED");
  await ok(CANCEL, { id: second.id }); // again: harmless, no second line
  const lines = (await ok(AUDIT, { memberId: member.id })).auditLog.edges.map((e: any) => e.node).filter((l: any) => l.action === "CANCEL_REDEMPTION");
  expect(lines).toEqual([{ service: "catalog", actor: "admin:test-admin", action: "CANCEL_REDEMPTION", targetId: second.id, outcome: "SUCCEEDED", errorCode: null }]);
});
