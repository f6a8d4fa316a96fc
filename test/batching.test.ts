import { createReward, enrollMember, recordPurchase, redeem, registerPartner } from "./support/fixtures";
import { asAdmin, ok, sqlStatements } from "./support/gateway";

const SERVICES = ["members", "partners", "catalog", "ledger"] as const;

const HEADLINE_PAGE = `query($first: Int!, $after: ID) {
  members(first: $first, after: $after) {
    id email displayName
    partnerAccounts { externalId partner { id name } }
    balance { available pending lifetimeEarned lifetimeRedeemed byPartner { earned redeemed partner { slug name } } }
    tier
    tierProgress { current next qualifyingPoints nextThreshold pointsToNext progress }
    eligibleRewards(first: 5) { id title partner { name } }
    redemptions(first: 5) { id status voucherCode reward { title partner { name } } }
    activity(first: 5) { edges { cursor node { kind points partner { name } } } pageInfo { hasNextPage endCursor } }
  }
}`;

/**
 * SQL statements each subgraph sent while answering one request: the fewest over five runs, since the
 * members service also answers the gateways' background reads of the erasure feed (four a second
 * each), which may fall inside a run and only ever add.
 */
async function statementsFor(run: () => Promise<unknown>): Promise<Record<string, number>> {
  const fewest: Record<string, number> = {};
  for (let attempt = 0; attempt < 5; attempt++) {
    const before = await Promise.all(SERVICES.map(sqlStatements));
    await run();
    const after = await Promise.all(SERVICES.map(sqlStatements));
    SERVICES.forEach((name, i) => (fewest[name] = Math.min(fewest[name] ?? Infinity, after[i] - before[i])));
  }
  return fewest;
}

describe("batching", () => {
  it("answers the headline fields for 50 members with as many SQL statements per subgraph as for 1", async () => {
    const partners = [await registerPartner({ pointsPerUnit: 2 }), await registerPartner({ pointsPerUnit: 1 }), await registerPartner({ pointsPerUnit: 3, returnWindowDays: 5 })];
    const reward = await createReward(partners[0].id, { costPoints: 50 });
    await createReward(partners[1].id, { costPoints: 80, stock: 100 });
    const marker = await enrollMember();
    const members = [];
    for (let i = 0; i < 50; i++) members.push(await enrollMember());
    await Promise.all(
      members.map(async (member, i) => {
        for (const partner of partners.slice(0, 1 + (i % 3))) {
          await ok(`mutation($input: LinkPartnerAccountInput!) { linkPartnerAccount(input: $input) { externalId } }`, {
            input: { memberId: member.id, partnerId: partner.id, externalId: `EXT-${member.id}` },
          });
          await recordPurchase(partner, member.id, 5_000 + i * 100);
        }
        if (i % 2 === 0) await redeem(member.id, reward.id);
      }),
    );

    // `no-cache`: the gateway's cache of public partner entities would otherwise answer some calls.
    const page = (first: number) => ok(HEADLINE_PAGE, { first, after: marker.id }, { ...asAdmin(), "cache-control": "no-cache" });
    const one = await statementsFor(() => page(1));
    let result: any;
    const fifty = await statementsFor(async () => {
      result = await page(50);
    });

    expect(result.members).toHaveLength(50);
    expect(result.members.every((m: any) => m.balance.lifetimeEarned > 0 && m.partnerAccounts.length > 0)).toBe(true);
    expect(result.members.filter((m: any) => m.redemptions.length === 1)).toHaveLength(25);
    for (const service of SERVICES) expect(one[service]).toBeGreaterThan(0);
    expect(fifty).toEqual(one);
  });
});
