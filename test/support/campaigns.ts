import { type PartnerFixture, recordPurchase } from "./fixtures";
import { type Caller, asAdmin, ok, unique } from "./gateway";

/** Builders for campaign tests, through the public API. */
export const CAMPAIGN_FIELDS = `id name status pointsAwarded membersRewarded budgetRemaining startsAt endsAt bonusPercent bonusPoints
  fundedBy { id } partners { id } categories firstPurchaseAtPartner afterPurchaseWithinDays afterPurchaseAtPartner { id } minimumTier`;
export const CREATE_CAMPAIGN = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { ${CAMPAIGN_FIELDS} } }`;
export const ENTRY_FIELDS = `id kind points reference bonuses { id kind points partner { id } campaign { id name } }`;

const HOUR = 3_600_000;
export const hoursFromNow = (hours: number) => new Date(Date.now() + hours * HOUR).toISOString();

export async function createCampaign(input: Record<string, unknown>, caller: Caller = asAdmin()) {
  const { createCampaign } = await ok(CREATE_CAMPAIGN, { input: { name: unique("campaign"), startsAt: hoursFromNow(-1), endsAt: hoursFromNow(24), ...input } }, caller);
  return createCampaign;
}

/** A purchase and its EARN entry with its bonuses. */
export async function purchaseWithBonuses(partner: PartnerFixture, memberId: string, amountMinor: number, extra: Record<string, unknown> = {}) {
  const { recordPurchase: entry } = await ok(`mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { ${ENTRY_FIELDS} } }`, {
    input: { partnerId: partner.id, memberId, amountMinor, currency: partner.currency, reference: unique("receipt"), ...extra },
  });
  return entry as { id: string; kind: string; points: number; reference: string; bonuses: { id: string; kind: string; points: number; partner: { id: string }; campaign: { id: string } | null }[] };
}

export async function endCampaign(id: string, caller: Caller = asAdmin()) {
  const { endCampaign } = await ok(`mutation($id: ID!) { endCampaign(id: $id) { ${CAMPAIGN_FIELDS} endedAt } }`, { id }, caller);
  return endCampaign;
}

export async function campaignById(id: string, partnerId: string | null = null) {
  const { campaigns } = await ok(`query($p: ID) { campaigns(partnerId: $p) { ${CAMPAIGN_FIELDS} } }`, { p: partnerId });
  return (campaigns as { id: string }[]).find((c) => c.id === id) as Record<string, any>;
}

export async function availableAndPending(memberId: string): Promise<{ available: number; pending: number }> {
  const { member } = await ok(`query($id: ID!) { member(id: $id) { balance { available pending } } }`, { id: memberId });
  return member.balance;
}

/**
 * The ids of every campaign offered to a member (asked as an admin unless a caller is given), page by page
 * through `Member.offersConnection`: every file's campaigns share the ledger, so `offers` (at most 100) may not hold a test's own.
 */
export async function offersOf(memberId: string, caller: Caller = asAdmin()): Promise<string[]> {
  const query = `query($id: ID!, $after: String) { member(id: $id) { offersConnection(first: 100, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } } }`;
  const ids: string[] = [];
  for (let after: string | null = null; ; ) {
    const page: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } = (await ok(query, { id: memberId, after }, caller)).member.offersConnection;
    ids.push(...page.edges.map((edge) => edge.node.id));
    if (!page.pageInfo.hasNextPage) return ids;
    after = page.pageInfo.endCursor;
  }
}

export { recordPurchase };
