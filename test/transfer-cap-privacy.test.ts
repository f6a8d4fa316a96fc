import { enrollMember, recordPurchase, registerPartner } from "./support/fixtures";
import { asMember, gql, ok, unique } from "./support/gateway";
import { expectLedgerConsistent } from "./support/ledger";

/**
 * Errors must not tell one member another's data: a transfer refused for the receiver's cap named
 * the balance it would reach, the receiver's balance plus the points sent (outside review).
 */
const ADJUST = `mutation($input: AdjustPointsInput!) { adjustPoints(input: $input) { id points member { id } } }`;
const TRANSFER = `mutation($input: TransferPointsInput!) { transferPoints(input: $input) { id points } }`;

it("a transfer refused for the receiver's cap does not tell the sender the receiver's balance", async () => {
  const CAP = 2_147_483_647;
  const shop = await registerPartner({ pointsPerUnit: 1 });
  const [sender, receiver] = [await enrollMember(), await enrollMember()];
  await recordPurchase(shop, sender.id, 1_000_000); // 10,000 points
  // The receiver holds CAP - 1,234 points (what the sender must not learn).
  const secret = CAP - 1_234;
  for (let done = 0; done < 214; done += 10) {
    await Promise.all(Array.from({ length: Math.min(10, 214 - done) }, () =>
      ok(ADJUST, { input: { memberId: receiver.id, points: 10_000_000, reason: "MIGRATION", note: "migrated balance", idempotencyKey: unique("mig") } })));
  }
  await ok(ADJUST, { input: { memberId: receiver.id, points: secret - 2_140_000_000, reason: "MIGRATION", note: "migrated balance", idempotencyKey: unique("mig") } });
  const refused = await gql(TRANSFER, { input: { fromMemberId: sender.id, toMemberId: receiver.id, points: 5_000, idempotencyKey: unique("gift") } }, asMember(sender.id));
  expect(refused.errors?.[0]?.extensions?.code).toBe("LIMIT_EXCEEDED");
  const said = JSON.stringify(refused.errors);
  // Neither the balance it would reach (secret + 5,000) nor the balance itself, in any spelling.
  for (const figure of [secret + 5_000, secret]) {
    expect(said).not.toContain(String(figure));
    expect(said).not.toContain(figure.toLocaleString("en-US"));
  }
  await expectLedgerConsistent();
}, 120_000);
