import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../shared/src/config";
import { createLogger } from "../shared/src/logger";
import { signToken } from "../shared/src/auth/jwt";
import { bearer, requestGraphQL } from "../tools/stack/graphql-client";
import { DEMO_MEMBER_EMAIL, isEmpty, seedDemo } from "../tools/stack/demo-seed";
import { useDedicatedStack } from "./support/dedicated-stack";

/** The README's headline query, exactly as a newcomer would paste it. */
function readmeHeadlineQuery(): string {
  const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
  const match = /<!-- headline-query[^>]*-->\s*```graphql\n([\s\S]*?)```/.exec(readme);
  if (!match) throw new Error("README.md has no headline-query block");
  return match[1];
}

/** The demo coalition `npm start` seeds, on databases of its own, and the README's query against it. */
describe("demo coalition", () => {
  const dedicated = useDedicatedStack("demo");
  const admin = () => dedicated.admin();

  beforeAll(async () => {
    expect(await isEmpty(dedicated.stack.gatewayUrl)).toBe(true);
    await seedDemo(dedicated.stack.gatewayUrl, createLogger("demo-seed"), admin());
  }, 120_000);

  it("has partners in six categories or more, 50 members, 30 rewards with some out of stock and some expired", async () => {
    const data = await requestGraphQL(
      dedicated.stack.gatewayUrl,
      `{
      partners { category rewards { stock validUntil active } }
      members(first: 100) { balance { lifetimeEarned } tierProgress { pointsToNext current } }
    }`,
      {},
      admin(),
    );
    expect(new Set(data.partners.map((p: any) => p.category)).size).toBeGreaterThanOrEqual(6);
    expect(data.members).toHaveLength(50);
    const rewards = data.partners.flatMap((p: any) => p.rewards);
    expect(rewards.length).toBeGreaterThanOrEqual(30);
    expect(rewards.filter((r: any) => r.stock === 0).length).toBeGreaterThan(0);
    expect(rewards.filter((r: any) => r.validUntil && new Date(r.validUntil) < new Date()).length).toBeGreaterThan(0);
    expect(new Set(data.members.map((m: any) => m.balance.lifetimeEarned)).size).toBeGreaterThan(30);
    const nearThreshold = data.members.filter((m: any) => m.tierProgress.pointsToNext > 0 && m.tierProgress.pointsToNext <= 500);
    expect(nearThreshold.length).toBeGreaterThanOrEqual(3);
    expect(new Set(data.members.map((m: any) => m.tierProgress.current))).toEqual(new Set(["BASE", "SILVER", "GOLD", "PLATINUM"]));
  });

  it("answers the README's headline query for the demo member", async () => {
    // As the README says: with the demo member's own token, as npm start prints it.
    const { memberByEmail: found } = await requestGraphQL(dedicated.stack.gatewayUrl, `{ memberByEmail(email: "ada@example.com") { id } }`, {}, admin());
    const memberToken = bearer(signToken({ sub: found.id, role: "member" }, dedicated.stack.env.JWT_SECRET!));
    const { memberByEmail: ada } = await requestGraphQL(dedicated.stack.gatewayUrl, readmeHeadlineQuery(), {}, memberToken);
    expect(ada.displayName).toBe("Ada Lovelace");
    // Four links she agreed to, and one a partner's till made that waits for her approval.
    expect(ada.partnerAccounts.map((a: any) => a.status).sort()).toEqual(["ACTIVE", "ACTIVE", "ACTIVE", "ACTIVE", "PENDING"]);
    expect(ada.partnerAccounts.find((a: any) => a.status === "PENDING").partner.name).toBe("Urban Threads");
    expect(ada.balance).toMatchObject({ available: 4_300, pending: 540, lifetimeEarned: 5_240, lifetimeRedeemed: 400 });
    expect(ada.tierProgress).toEqual({ current: "BASE", next: "SILVER", qualifyingPoints: 4_700, nextThreshold: 5_000, pointsToNext: 300, progress: 0.94 });
    const costs = ada.eligibleRewards.map((r: any) => r.costPoints);
    expect(costs).toEqual([...costs].sort((a, b) => a - b));
    expect(costs.length).toBe(5);
    expect(ada.redemptions).toEqual([expect.objectContaining({ status: "COMPLETED", pointsSpent: 400, reward: expect.objectContaining({ title: "Free coffee of your choice" }) })]);
    expect(DEMO_MEMBER_EMAIL).toBe("ada@example.com");
  });
});
