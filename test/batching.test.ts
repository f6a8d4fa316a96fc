import { createReward, enrollMember, recordPurchase, redeem, registerPartner } from "./support/fixtures";
import { asAdmin, asMember, ok, operationsServed, sqlStatements } from "./support/gateway";

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
 * SQL statements each subgraph sent while answering one request: the fewest over five runs that no
 * background read fell into. The members service also answers the gateways' reads of the erasure feed
 * (four a second per gateway process, and a busy suite runs several gateways); a run during which it
 * served one (`ErasureFeed`, counted a moment after the run so that one still finishing is seen) is
 * not counted. The fewest, since nothing else may only ever add.
 */
async function statementsFor(run: () => Promise<unknown>): Promise<Record<string, number>> {
  const fewest: Record<string, number> = {};
  let counted = 0;
  for (let attempt = 0; attempt < 40 && counted < 5; attempt++) {
    const feedBefore = await operationsServed("members", "ErasureFeed");
    const before = await Promise.all(SERVICES.map(sqlStatements));
    await run();
    const after = await Promise.all(SERVICES.map(sqlStatements));
    await new Promise((resolve) => setTimeout(resolve, 50));
    if ((await operationsServed("members", "ErasureFeed")) !== feedBefore) continue;
    counted++;
    SERVICES.forEach((name, i) => (fewest[name] = Math.min(fewest[name] ?? Infinity, after[i] - before[i])));
  }
  expect(counted).toBeGreaterThan(0);
  // The runs left out are seen: the feed is being read under that name (started by a member request).
  expect(await operationsServed("members", "ErasureFeed")).toBeGreaterThan(0);
  return fewest;
}

/**
 * A member's request starts the gateway's reads of the erasure feed (on first use), which statementsFor
 * expects: the runs share the members service with them, as they do in the suite.
 */
const startErasureFeed = (memberId: string) => ok(`query($id: ID!) { member(id: $id) { id } }`, { id: memberId }, asMember(memberId));

/** The statements of a page of 1 and of a page of `size`, and the latter's answer. */
async function pagesOfOneAnd(size: number, page: (first: number) => Promise<any>) {
  const one = await statementsFor(() => page(1));
  let result: any;
  const many = await statementsFor(async () => {
    result = await page(size);
  });
  return { one, many, result };
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

    await startErasureFeed(marker.id);
    // `no-cache`: the gateway's cache of public partner entities would otherwise answer some calls.
    const page = (first: number) => ok(HEADLINE_PAGE, { first, after: marker.id }, { ...asAdmin(), "cache-control": "no-cache" });
    const { one, many: fifty, result } = await pagesOfOneAnd(50, page);

    expect(result.members).toHaveLength(50);
    expect(result.members.every((m: any) => m.balance.lifetimeEarned > 0 && m.partnerAccounts.length > 0)).toBe(true);
    expect(result.members.filter((m: any) => m.redemptions.length === 1)).toHaveLength(25);
    for (const service of SERVICES) expect(one[service]).toBeGreaterThan(0);
    expect(fifty).toEqual(one);
  });

  it("answers every partner's terms, terms history, prepaid points, statement and liability with as many ledger statements as one partner's", async () => {
    // Three partners, two with terms and a purchase (other files' partners are in the list too, most without).
    await registerPartner();
    const marker = await enrollMember();
    for (let i = 0; i < 2; i++) {
      const partner = await registerPartner();
      await ok(`mutation($input: SetPartnerTermsInput!) { setPartnerTerms(input: $input) { version } }`, {
        input: { partnerId: partner.id, issuePricePer1000: 1_000 + i, redemptionPricePer1000: 800, breakageSharePercent: 50, billing: "POSTPAID" },
      });
      await recordPurchase(partner, marker.id, 10_000);
    }
    await startErasureFeed(marker.id);
    const period = new Date().toISOString().slice(0, 7);
    const FIELDS = `id terms { version issuePricePer1000 } termsHistory { version } prepaidPointsRemaining
      statement(period: "${period}") { partner { id } pointsIssued lines { kind points amount } } liability { pointsOutstanding value }`;
    const { partners } = await ok(`{ partners { ${FIELDS} } }`);
    expect(partners.length).toBeGreaterThan(2);
    expect(partners.filter((p: any) => p.terms !== null).length).toBeGreaterThanOrEqual(2);
    // Each partner's own statement and liability, not a neighbour's.
    expect(partners.every((p: any) => p.statement.partner.id === p.id)).toBe(true);
    expect(partners.filter((p: any) => p.statement.pointsIssued > 0 && p.liability.pointsOutstanding > 0).length).toBeGreaterThanOrEqual(2);
    // Two periods in one request: each alias its own period's figures (a batch per period).
    const { partners: twice } = await ok(`{ partners { id now: statement(period: "${period}") { pointsIssued } before: statement(period: "2020-01") { period pointsIssued } } }`);
    expect(twice.filter((p: any) => p.now.pointsIssued > 0).length).toBeGreaterThanOrEqual(2);
    expect(twice.every((p: any) => p.before.period === "2020-01" && p.before.pointsIssued === 0)).toBe(true);
    const read = (query: string) => () => ok(query, {}, { ...asAdmin(), "cache-control": "no-cache" });
    const one = await statementsFor(read(`query { partner(id: "${partners[0].id}") { ${FIELDS} } }`));
    const all = await statementsFor(read(`{ partners { ${FIELDS} } }`));
    expect(one.ledger).toBeGreaterThan(0);
    expect(all.ledger).toBe(one.ledger);
  });

  it("answers 10 members' offers, listed and paged, with as many ledger statements as one member's", async () => {
    // Apart from the headline page above: each member's offers weigh every running campaign of the shared ledger,
    // and a run that outlasts a read of the erasure feed (four a second) is not counted.
    const marker = await enrollMember();
    for (let i = 0; i < 10; i++) await enrollMember();
    await startErasureFeed(marker.id);
    const OFFERS = `query($first: Int!, $after: ID) { members(first: $first, after: $after) { id offers(first: 5) { id } offersConnection(first: 2) { edges { node { id } } } } }`;
    const page = (first: number) => ok(OFFERS, { first, after: marker.id }, { ...asAdmin(), "cache-control": "no-cache" });
    const { one, many: ten, result } = await pagesOfOneAnd(10, page);
    expect(result.members).toHaveLength(10);
    expect(one.ledger).toBeGreaterThan(0);
    expect(ten.ledger).toBe(one.ledger);
  });
});
