import { signToken } from "../shared/src/auth/jwt";
import { PartnerCategory } from "../shared/src/enums";
import { bearer, requestGraphQL } from "../tools/stack/graphql-client";
import type { BenchData } from "./scenarios";

/** How many campaigns are active while recordPurchase is measured with campaigns (issue 17: 50). */
export const BENCH_CAMPAIGNS = 50;

const CREATE = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`;
const END = `mutation($id: ID!) { endCampaign(id: $id) { id pointsAwarded membersRewarded } }`;

/**
 * 50 active campaigns, a mix that real purchases match: 20 percent campaigns of single partners (with
 * a budget), 10 coalition category campaigns (a minimum amount), 10 cross-brand (after a purchase at
 * the next partner within 30 days), 10 welcome bonuses. Most bench purchases earn one or more bonuses.
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

/** Ends the campaigns; returns the bonus points they awarded in all (so a run shows that bonuses were posted). */
export async function endBenchCampaigns(gatewayUrl: string, jwtSecret: string, ids: string[]): Promise<number> {
  const admin = bearer(signToken({ sub: "bench-admin", role: "admin" }, jwtSecret));
  let awarded = 0;
  for (const id of ids) awarded += (await requestGraphQL(gatewayUrl, END, { id }, admin)).endCampaign.pointsAwarded;
  return awarded;
}
