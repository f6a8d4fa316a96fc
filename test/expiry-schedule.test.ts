import { requestGraphQL } from "../tools/stack/graphql-client";
import { scheduleExpiry } from "../subgraphs/ledger/src/expiry/expiry.schedule";
import { useDedicatedStack } from "./support/dedicated-stack";
import { travel } from "./support/ledger";

const ACTIVITY = `query($id: ID!) { member(id: $id) { balance { available } activity(first: 10) { edges { node { kind points } } } } }`;

/** The ledger posts expiries by itself (EXPIRY_RUN_SECONDS), with no operator running `ledger:expire`. */
describe("scheduled expiry", () => {
  // Its own stack: its ledger's clock is moved, and its expiry runs every second.
  const dedicated = useDedicatedStack("expiryschedule", { LEDGER_TEST_CLOCK: "1", NODE_ENV: "test", EXPIRY_RUN_SECONDS: "1" });

  it("expires due points on its own schedule, once", async () => {
    const gateway = dedicated.stack.gatewayUrl;
    const admin = dedicated.admin();
    const tag = `expiry-${Date.now()}`;
    const { registerPartner: partner } = await requestGraphQL(gateway, `mutation($input: RegisterPartnerInput!) { registerPartner(input: $input) { id } }`, {
      input: { slug: tag, name: "Expiring Fuel", category: "FUEL", pointsPerUnit: 1, currency: "EUR", returnWindowDays: 0 },
    }, admin);
    const { enrollMember: member } = await requestGraphQL(gateway, `mutation($input: EnrollMemberInput!) { enrollMember(input: $input) { id } }`, {
      input: { email: `${tag}@example.com`, displayName: "Expiring Member" },
    }, admin);
    await requestGraphQL(gateway, `mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { id } }`, {
      input: { partnerId: partner.id, memberId: member.id, amountMinor: 70_000, currency: "EUR", reference: tag },
    }, admin);
    const history = async () => (await requestGraphQL(gateway, ACTIVITY, { id: member.id }, admin)).member;
    const expiries = (member: { activity: { edges: { node: { kind: string; points: number } }[] } }) =>
      member.activity.edges.filter((edge) => edge.node.kind === "EXPIRY").map((edge) => edge.node.points);

    // Not yet due: runs come and go and expire nothing.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(expiries(await history())).toEqual([]);

    // 25 months on, the next run posts the expiry: nobody runs the tool.
    await travel(25 * 31, dedicated.stack.services.ledger.url);
    const deadline = Date.now() + 15_000;
    let after = await history();
    while (!expiries(after).length && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      after = await history();
    }
    expect(expiries(after)).toEqual([-700]);
    expect(after.balance.available).toBe(0);

    // Later runs find nothing more to expire.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(expiries(await history())).toEqual([-700]);
  });

  it("refuses a period Node's timers cannot keep", () => {
    const schedule = () => scheduleExpiry(undefined as never, undefined as never, undefined as never, 25 * 86_400);
    expect(schedule).toThrow("EXPIRY_RUN_SECONDS must be at most 2073600 (24 days), got 2160000");
  });
});
