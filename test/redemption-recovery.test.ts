import { once } from "node:events";
import { postGraphQL, requestGraphQL } from "../tools/stack/graphql-client";
import { useDedicatedStack } from "./support/dedicated-stack";
import { expectCatalogConsistent } from "./support/consistency";
import { expectLedgerConsistent } from "./support/ledger";

/**
 * The catalog process is killed (SIGKILL) at each step of a redemption; after a restart the recovery
 * sweep must settle it to exactly one outcome, with points, holds and stock consistent.
 * A stack of its own, because its catalog is killed.
 */
describe("redemption recovery after a service is killed mid-flight", () => {
  const dedicated = useDedicatedStack("recovery", { REDEMPTION_RECOVERY_AFTER_SECONDS: "0", REDEMPTION_SWEEP_SECONDS: "3600" });
  const call = (query: string, variables: Record<string, unknown> = {}) => requestGraphQL(dedicated.stack.gatewayUrl, query, variables, dedicated.admin());

  // The failure reason: INTERRUPTED when the catalog died (nothing noted, the sweep settles it),
  // UPSTREAM_UNAVAILABLE when the ledger did (the catalog noted why it could not finish). A
  // COMPLETED redemption has none, even when its saga noted one while it was PENDING (the ledger
  // dying after the capture: it answered COMPLETED with failureReason UPSTREAM_UNAVAILABLE).
  it.each([
    ["catalog", "after-reserve", "FAILED", "INTERRUPTED"],
    ["catalog", "after-hold", "FAILED", "INTERRUPTED"],
    ["catalog", "after-capture", "COMPLETED", null],
    ["ledger", "after-hold", "FAILED", "UPSTREAM_UNAVAILABLE"],
    ["ledger", "after-capture", "COMPLETED", null],
  ] as const)("%s killed %s: settles as %s", async (service, step, outcome, failureReason) => {
    const name = `${service}-${step}`;
    const { registerPartner: partner } = await call(`mutation($slug: String!) { registerPartner(input: { slug: $slug, name: "P", category: OTHER, pointsPerUnit: 1, currency: "EUR" }) { id } }`, { slug: `p-${name}` });
    const { enrollMember: member } = await call(`mutation($email: String!) { enrollMember(input: { email: $email, displayName: "M" }) { id } }`, { email: `${name}@example.com` });
    await call(`mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { id } }`, { input: { partnerId: partner.id, memberId: member.id, amountMinor: 100_000, currency: "EUR", reference: name } });
    const { createReward: reward } = await call(`mutation($input: CreateRewardInput!) { createReward(input: $input) { id } }`, { input: { partnerId: partner.id, title: "R", costPoints: 300, stock: 5 } });

    if (service === "catalog") {
      // The catalog that is about to crash must not sweep the redemption it is itself running.
      await dedicated.stack.restart("catalog", { CATALOG_CRASH_AT: step, REDEMPTION_RECOVERY_AFTER_SECONDS: "3600" });
    } else {
      // The catalog keeps running; its periodic sweep settles the redemption once the ledger is back.
      await dedicated.stack.restart("catalog", { REDEMPTION_RECOVERY_AFTER_SECONDS: "1", REDEMPTION_SWEEP_SECONDS: "1" });
      await dedicated.stack.restart("ledger", { LEDGER_CRASH_AT: step });
    }
    const interrupted = await postGraphQL(
      dedicated.stack.gatewayUrl,
      `mutation($input: RedeemRewardInput!) { redeemReward(input: $input) { id } }`,
      { input: { memberId: member.id, rewardId: reward.id, idempotencyKey: `key-${name}` } },
      dedicated.admin(),
    );
    expect(interrupted.errors).toBeDefined(); // the redemption could not finish
    const { child } = dedicated.stack.services[service];
    if (child.exitCode === null && child.signalCode === null) await once(child, "exit");
    expect(child.signalCode).toBe("SIGKILL");

    if (service === "catalog") await dedicated.stack.restart("catalog", { CATALOG_CRASH_AT: "", REDEMPTION_RECOVERY_AFTER_SECONDS: "0" });
    else await dedicated.stack.restart("ledger", { LEDGER_CRASH_AT: "" });
    const STATE = `query($id: ID!, $reward: ID!) {
      member(id: $id) { balance { available held lifetimeRedeemed } redemptions { status voucherCode failureReason } }
      reward(id: $reward) { stock }
    }`;
    for (let attempt = 0; attempt < 100; attempt++) {
      const { member: polled } = await call(`query($id: ID!) { member(id: $id) { redemptions { status } } }`, { id: member.id });
      if (polled.redemptions.every((r: { status: string }) => r.status !== "PENDING")) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // Read once settled: in one query the gateway fetches `reward` and `redemptions` separately, so a
    // poll could see the settled redemption beside the stock read a moment before.
    const state = await call(STATE, { id: member.id, reward: reward.id });
    const completed = outcome === "COMPLETED";
    expect(state.member.redemptions).toEqual([{ status: outcome, voucherCode: completed ? expect.any(String) : null, failureReason }]);
    expect(state.member.balance).toEqual({ available: completed ? 700 : 1_000, held: 0, lifetimeRedeemed: completed ? 300 : 0 });
    expect(state.reward.stock).toBe(completed ? 4 : 5);
    await expectLedgerConsistent(dedicated.suffix);
    await expectCatalogConsistent(dedicated.suffix);
  }, 60_000);

  it("with the ledger unreachable, a redemption fails with UPSTREAM_UNAVAILABLE and takes nothing", async () => {
    const { registerPartner: partner } = await call(`mutation { registerPartner(input: { slug: "p-ledger-down", name: "P", category: OTHER, pointsPerUnit: 1, currency: "EUR" }) { id } }`);
    const { enrollMember: member } = await call(`mutation { enrollMember(input: { email: "ledger-down@example.com", displayName: "M" }) { id } }`);
    await call(`mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { id } }`, { input: { partnerId: partner.id, memberId: member.id, amountMinor: 100_000, currency: "EUR", reference: "down" } });
    const { createReward: reward } = await call(`mutation($input: CreateRewardInput!) { createReward(input: $input) { id } }`, { input: { partnerId: partner.id, title: "R", costPoints: 300, stock: 5 } });
    dedicated.stack.services.ledger.child.kill("SIGKILL");
    await once(dedicated.stack.services.ledger.child, "exit");
    const result = await postGraphQL(
      dedicated.stack.gatewayUrl,
      `mutation($input: RedeemRewardInput!) { redeemReward(input: $input) { id } }`,
      { input: { memberId: member.id, rewardId: reward.id, idempotencyKey: "key-ledger-down" } },
      dedicated.admin(),
    );
    expect(result.errors?.map((e) => e.extensions?.code)).toEqual(["UPSTREAM_UNAVAILABLE"]);
    await dedicated.stack.restart("ledger", { LEDGER_CRASH_AT: "" });
    const state = await call(`query($id: ID!, $reward: ID!) { member(id: $id) { balance { available held } redemptions { status } } reward(id: $reward) { stock } }`, { id: member.id, reward: reward.id });
    expect(state).toEqual({ member: { balance: { available: 1_000, held: 0 }, redemptions: [] }, reward: { stock: 5 } });
    await expectLedgerConsistent(dedicated.suffix);
    await expectCatalogConsistent(dedicated.suffix);
  }, 60_000);
});
