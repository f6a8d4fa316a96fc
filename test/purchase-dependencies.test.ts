import { postGraphQL, requestGraphQL } from "../tools/stack/graphql-client";
import { stopChild } from "../tools/stack/services";
import { useDedicatedStack } from "./support/dedicated-stack";
import { expectLedgerConsistent } from "./support/ledger";

const RECORD = `mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { id points } }`;

/**
 * What a checkout needs from the other services: a member the ledger has an account for needs no
 * members service, and a replay needs neither it nor the partners service. A stack of its own,
 * because both are stopped.
 */
describe("recordPurchase with the members and partners services down", () => {
  const dedicated = useDedicatedStack("purchasedeps");
  const call = (query: string, variables: Record<string, unknown> = {}) => requestGraphQL(dedicated.stack.gatewayUrl, query, variables, dedicated.admin());
  const attempt = (input: Record<string, unknown>) => postGraphQL(dedicated.stack.gatewayUrl, RECORD, { input }, dedicated.admin());

  it("records for a known member without the members service, refuses an unseen one, and replays without the partners service", async () => {
    const { registerPartner: partner } = await call(
      `mutation { registerPartner(input: { slug: "deps", name: "P", category: OTHER, pointsPerUnit: 1, currency: "EUR" }) { id } }`,
    );
    const enroll = (email: string) => call(`mutation($email: String!) { enrollMember(input: { email: $email, displayName: "M" }) { id } }`, { email });
    const { enrollMember: known } = await enroll("known@example.com");
    const { enrollMember: unseen } = await enroll("unseen@example.com");
    const purchase = (memberId: string, reference: string) => ({ partnerId: partner.id, memberId, amountMinor: 10_000, currency: "EUR", reference });
    const first = (await call(RECORD, { input: purchase(known.id, "r-1") })).recordPurchase;

    await stopChild(dedicated.stack.services.members.child);
    // The ledger has an account for this member: proof enough.
    expect((await attempt(purchase(known.id, "r-2"))).data?.recordPurchase).toMatchObject({ points: 100 });
    // Never seen by the ledger: only the members service could say it exists, so nothing is recorded.
    const refused = await attempt(purchase(unseen.id, "r-3"));
    expect(refused.data?.recordPurchase ?? null).toBeNull();
    expect(refused.errors?.length).toBeGreaterThan(0);
    // A field the gateway itself asks of the stopped service: retryable, and no internal address in the answer.
    const direct = await postGraphQL(dedicated.stack.gatewayUrl, `query($id: ID!) { member(id: $id) { email } }`, { id: known.id }, dedicated.admin());
    expect(direct.errors?.map((e) => e.extensions?.code)).toEqual(["UPSTREAM_UNAVAILABLE"]);
    expect(JSON.stringify(direct)).not.toMatch(/localhost|127\.0\.0\.1|ECONNREFUSED/);

    // A fresh ledger has no partner rules kept; with the partners service down a replay is still answered.
    await stopChild(dedicated.stack.services.partners.child);
    await dedicated.stack.restart("ledger");
    expect((await attempt(purchase(known.id, "r-1"))).data?.recordPurchase).toEqual(first);
    const unreachable = await attempt(purchase(known.id, "r-4"));
    expect(unreachable.data?.recordPurchase ?? null).toBeNull();
    expect(unreachable.errors?.length).toBeGreaterThan(0);
    await expectLedgerConsistent(dedicated.suffix);
  });
});
