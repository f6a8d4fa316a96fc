import { enrollMember, registerPartner } from "./support/fixtures";
import { asPartnerApp, fails, ok, unique } from "./support/gateway";

/**
 * A partner app's refused purchase must not tell it a member's figures: LIMIT_EXCEEDED's `wouldBe`
 * (and its message) is the member's lifetime earned points (or balance) plus the purchase, which not
 * even a linked partner may read, and this member is not linked to it at all.
 */
const RECORD = `mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { id points } }`;
const keyOf = async (partnerId: string) => (await ok(`mutation($id: ID!) { issuePartnerApiKey(partnerId: $id) { key } }`, { id: partnerId })).issuePartnerApiKey.key as string;

it("a partner app's purchase refused at the cap names the limit, never the member's figure", async () => {
  const elsewhere = await registerPartner({ pointsPerUnit: 1_000 });
  const shop = await registerPartner({ pointsPerUnit: 1_000 });
  const member = await enrollMember();
  const purchase = (partnerId: string, amountMinor: number) => ({ input: { partnerId, memberId: member.id, amountMinor, currency: "EUR", reference: unique("receipt") } });
  await ok(RECORD, purchase(elsewhere.id, 100_000_000)); // 1,000,000,000 points at BASE: PLATINUM from then on
  await ok(RECORD, purchase(elsewhere.id, 57_364_182)); // 1,147,283,640 more: 2,147,283,640 earned elsewhere
  const shopApp = asPartnerApp(await keyOf(shop.id));
  const error = await fails(RECORD, purchase(shop.id, 100_000), "LIMIT_EXCEEDED", shopApp);
  expect(error.extensions).toMatchObject({ limit: 2_147_483_647 });
  // 2,147,283,640 + 2,000,000: the member's lifetime earned points at other partners, exactly.
  expect(JSON.stringify(error)).not.toMatch(/2,?149,?283,?640/);
  expect(error.extensions).not.toHaveProperty("wouldBe");
});
