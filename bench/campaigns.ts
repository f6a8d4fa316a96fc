import { signToken } from "../shared/src/auth/jwt";
import { createDataSource } from "../shared/src/database";
import type { Logger } from "../shared/src/logger";
import { PartnerCategory } from "../shared/src/enums";
import { bearer, requestGraphQL } from "../tools/stack/graphql-client";
import { ledgerDatabaseUrl } from "./purchase-capacity";
import type { BenchData } from "./scenarios";

const CREATE = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`;
const END = `mutation($id: ID!) { endCampaign(id: $id) { id pointsAwarded membersRewarded } }`;

/**
 * 50 active campaigns (issue 17's figure; the run reports how many this created, and
 * test/bench.test.ts holds it to 50), a mix that real purchases match: 20 percent campaigns of single
 * partners (with a budget), 10 coalition category campaigns (a minimum amount), 10 cross-brand (after
 * a purchase at the next partner within 30 days), 10 welcome bonuses. Most bench purchases earn one or
 * more bonuses.
 */
export async function createBenchCampaigns(gatewayUrl: string, jwtSecret: string, data: BenchData): Promise<string[]> {
  const admin = bearer(signToken({ sub: "bench-admin", role: "admin" }, jwtSecret));
  const partners = data.partners.map((p) => p.id);
  const categories = Object.values(PartnerCategory);
  const window = { startsAt: new Date(Date.now() - 3_600_000).toISOString(), endsAt: new Date(Date.now() + 86_400_000).toISOString() };
  const inputs: Record<string, unknown>[] = [];
  for (let i = 0; i < 20; i++) inputs.push({ fundedByPartnerId: partners[i % partners.length], bonusPercent: 10 + i, budgetPoints: 1_000_000_000 });
  for (let i = 0; i < 10; i++) inputs.push({ categories: [categories[i % categories.length]], bonusPercent: 5, minAmountMinor: 5_000 });
  for (let i = 0; i < 10; i++) {
    inputs.push({ fundedByPartnerId: partners[i % partners.length], bonusPercent: 50, afterPurchaseAtPartnerId: partners[(i + 1) % partners.length], afterPurchaseWithinDays: 30 });
  }
  for (let i = 0; i < 10; i++) inputs.push({ fundedByPartnerId: partners[i % partners.length], bonusPoints: 100, firstPurchaseAtPartner: true, maxBonusPerMember: 100 });
  const ids: string[] = [];
  for (const [i, input] of inputs.entries()) {
    const { createCampaign } = await requestGraphQL(gatewayUrl, CREATE, { input: { name: `bench campaign ${i + 1}`, ...window, ...input } }, admin);
    ids.push(createCampaign.id);
  }
  return ids;
}

/**
 * Ends the campaigns; returns the bonus points they awarded in all and how many bonuses that was (so a
 * run shows how much posting work the campaigns added to each purchase), read from the ledger.
 */
export async function endBenchCampaigns(gatewayUrl: string, env: NodeJS.ProcessEnv, ids: string[], log: Logger): Promise<{ bonusPoints: number; bonuses: number }> {
  const admin = bearer(signToken({ sub: "bench-admin", role: "admin" }, env.JWT_SECRET!));
  let bonusPoints = 0;
  for (const id of ids) bonusPoints += (await requestGraphQL(gatewayUrl, END, { id }, admin)).endCampaign.pointsAwarded;
  const dataSource = createDataSource({ url: ledgerDatabaseUrl(env), entities: [], migrations: [], log, poolSize: 1 });
  await dataSource.initialize();
  try {
    const [row] = await dataSource.query(`SELECT count(*) AS bonuses FROM campaign_bonuses WHERE campaign_id = ANY($1::uuid[])`, [ids]);
    return { bonusPoints, bonuses: Number(row.bonuses) };
  } finally {
    await dataSource.destroy();
  }
}
