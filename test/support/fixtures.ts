import { asMember, ok, unique } from "./gateway";

/** Builders for the data a test needs, created through the public API. */

export interface PartnerFixture {
  id: string;
  slug: string;
  currency: string;
  pointsPerUnit: number;
}

export async function registerPartner(overrides: Record<string, unknown> = {}): Promise<PartnerFixture> {
  const { registerPartner } = await ok(
    `mutation($input: RegisterPartnerInput!) { registerPartner(input: $input) { id slug currency pointsPerUnit } }`,
    { input: { slug: unique("brand"), name: "Test Brand", category: "RETAIL", pointsPerUnit: 1, currency: "EUR", returnWindowDays: 0, ...overrides } },
  );
  return registerPartner;
}

export async function enrollMember(overrides: Record<string, unknown> = {}): Promise<{ id: string; email: string }> {
  const { enrollMember } = await ok(`mutation($input: EnrollMemberInput!) { enrollMember(input: $input) { id email } }`, {
    input: { email: `${unique("member")}@example.com`, displayName: "Test Member", ...overrides },
  });
  return enrollMember;
}

export async function recordPurchase(partner: PartnerFixture, memberId: string, amountMinor: number, extra: Record<string, unknown> = {}) {
  const { recordPurchase } = await ok(
    `mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { id kind points reference occurredAt partner { id } member { id } } }`,
    { input: { partnerId: partner.id, memberId, amountMinor, currency: partner.currency, reference: unique("receipt"), ...extra } },
  );
  return recordPurchase as { id: string; kind: string; points: number; reference: string; occurredAt: string };
}

/** A member's referral code, read as that member (only they may). */
export async function referralCodeOf(memberId: string): Promise<string> {
  return (await ok(`query($id: ID!) { member(id: $id) { referralCode } }`, { id: memberId }, asMember(memberId))).member.referralCode as string;
}

/** A new member enrolled with `referrerId`'s referral code: a referred friend. */
export async function enrollFriendOf(referrerId: string): Promise<{ id: string }> {
  const { enrollMember } = await ok(`mutation($input: EnrollMemberInput!) { enrollMember(input: $input) { id } }`, {
    input: { email: `${unique("friend")}@example.com`, displayName: "Friend", referralCode: await referralCodeOf(referrerId) },
  });
  return enrollMember;
}

export async function createReward(partnerId: string, overrides: Record<string, unknown> = {}): Promise<{ id: string; costPoints: number }> {
  const { createReward } = await ok(`mutation($input: CreateRewardInput!) { createReward(input: $input) { id costPoints } }`, {
    input: { partnerId, title: unique("reward"), description: "A test reward", costPoints: 100, minimumTier: "BASE", stock: null, ...overrides },
  });
  return createReward;
}

export async function redeem(memberId: string, rewardId: string, idempotencyKey = unique("redeem")) {
  return ok(`mutation($input: RedeemRewardInput!) { redeemReward(input: $input) { id status pointsSpent voucherCode reward { id } member { id } } }`, {
    input: { memberId, rewardId, idempotencyKey },
  });
}

export const HEADLINE = `
  fragment Headline on Member {
    id displayName
    balance { available pending held lifetimeEarned lifetimeRedeemed byPartner { partner { id slug } earned redeemed } }
    tier
    tierProgress { current next qualifyingPoints nextThreshold pointsToNext progress }
    eligibleRewards(first: 100) { id costPoints }
    redemptions(first: 20) { id status pointsSpent voucherCode reward { id } }
  }`;

export async function headline(memberId: string) {
  const { member } = await ok(`query($id: ID!) { member(id: $id) { ...Headline } } ${HEADLINE}`, { id: memberId });
  return member;
}

/**
 * Every reward eligible to the member right now, cheapest first, read page by page: every test file adds
 * rewards to the one shared catalog, so a member's first page (at most 100) need not hold a test's own.
 */
export async function eligibleRewardIds(memberId: string): Promise<string[]> {
  const query = `query($id: ID!, $after: String) { member(id: $id) { eligibleRewardsConnection(first: 100, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } } }`;
  const ids: string[] = [];
  for (let after: string | null = null; ; ) {
    const page: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } = (await ok(query, { id: memberId, after })).member
      .eligibleRewardsConnection;
    ids.push(...page.edges.map((edge) => edge.node.id));
    if (!page.pageInfo.hasNextPage) return ids;
    after = page.pageInfo.endCursor;
  }
}
