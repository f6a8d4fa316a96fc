import { signToken } from "../shared/src/auth/jwt";
import { bearer, requestGraphQL } from "../tools/stack/graphql-client";
import type { Stack } from "../tools/stack/services";
import { seedMemberId } from "../shared/src/seed/plan";
import { type SeedProgress, seedCoalition } from "../tools/seed/seed";

/** What the load generators need to know about the seeded coalition. */
export interface BenchData {
  members: number;
  memberIds: string[];
  /** With the earn rule the seed gave each (the direct purchase baseline prices purchases as the ledger does). */
  partners: { id: string; currency: string; pointsPerUnit: number; returnWindowDays: number; apiKey: string }[];
  rewards: number;
  ledgerEntries: number;
  light: { id: string; entries: number };
  heavy: { id: string; entries: number };
}

/** The headline page: balance with its per-partner split, tier, progress and what the member can afford. */
export const HEADLINE_QUERY = `query Headline($id: ID!) {
  member(id: $id) {
    balance { available pending held lifetimeEarned byPartner { partner { name category } earned redeemed } }
    tier
    tierProgress { current next qualifyingPoints nextThreshold pointsToNext progress }
    eligibleRewards(first: 5) { title costPoints minimumTier partner { name } }
  }
}`;

const RECORD_PURCHASE = `mutation RecordPurchase($input: RecordPurchaseInput!) {
  recordPurchase(input: $input) { id points }
}`;

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];

/** Headline requests for random members (or always `memberId`), each member with its own token, as their app would send. */
export function headlineRequests(data: BenchData, jwtSecret: string, memberId?: string) {
  const tokens = new Map<string, string>();
  return () => {
    const id = memberId ?? pick(data.memberIds);
    let token = tokens.get(id);
    if (!token) tokens.set(id, (token = signToken({ sub: id, role: "member" }, jwtSecret, 86_400)));
    return { body: JSON.stringify({ query: HEADLINE_QUERY, variables: { id } }), headers: { authorization: `Bearer ${token}` } };
  };
}

/** A member's balance (their app's most frequent read): the clearing house's statement is measured against it. */
export const BALANCE_QUERY = `query Balance($id: ID!) { member(id: $id) { balance { available pending held } } }`;

/** A partner's open statement for the current month, read by its own app (running totals, never the history). */
export const STATEMENT_QUERY = `query Statement($id: ID!, $period: String!) {
  partner(id: $id) { statement(period: $period) { status pointsIssued pointsReversed pointsRedeemed pointsExpired netAmount lines { kind points amount } counterparts { partner { id } pointsIssuedRedeemedThere pointsRedeemedHereIssuedThere } } }
}`;

export function balanceRequests(data: BenchData, jwtSecret: string) {
  const tokens = new Map<string, string>();
  return () => {
    const id = pick(data.memberIds);
    let token = tokens.get(id);
    if (!token) tokens.set(id, (token = signToken({ sub: id, role: "member" }, jwtSecret, 86_400)));
    return { body: JSON.stringify({ query: BALANCE_QUERY, variables: { id } }), headers: { authorization: `Bearer ${token}` } };
  };
}

/** Each request a random partner's app asking for its own statement of the current month (UTC). */
export function statementRequests(data: BenchData) {
  return () => {
    const partner = pick(data.partners);
    const period = new Date().toISOString().slice(0, 7);
    return { body: JSON.stringify({ query: STATEMENT_QUERY, variables: { id: partner.id, period } }), headers: { "x-api-key": partner.apiKey } };
  };
}

let receipt = 0;
const run = Date.now().toString(36);

/** A reference prefix no other load of this run uses (the purchases of one window can be found by it). */
export const referencePrefix = (label: string) => `bench-${run}-${label}-`;

/** Checkouts: a random member buys at a random partner, whose app records it with its API key; every receipt is new. */
export function purchaseRequests(data: BenchData, prefix = referencePrefix("purchase")) {
  return () => {
    const partner = pick(data.partners);
    const input = { partnerId: partner.id, memberId: pick(data.memberIds), amountMinor: 500 + Math.floor(Math.random() * 20_000), currency: partner.currency, reference: `${prefix}${++receipt}` };
    return { body: JSON.stringify({ query: RECORD_PURCHASE, variables: { input } }), headers: { "x-api-key": partner.apiKey } };
  };
}

const SET_TERMS = `mutation($input: SetPartnerTermsInput!) { setPartnerTerms(input: $input) { effectiveFrom } }`;
/** Every bench partner's terms: 8.00 per 1,000 points issued, 6.00 per 1,000 redeemed, a fifth of breakage back. */
const BENCH_TERMS = { issuePricePer1000: 800, redemptionPricePer1000: 600, breakageSharePercent: 20, billing: "POSTPAID" };

/** Issues each seeded partner an API key and sets its clearing terms, through the gateway. */
async function issueApiKeys(stack: Stack, partners: Omit<BenchData["partners"][number], "apiKey">[]): Promise<BenchData["partners"]> {
  const admin = bearer(signToken({ sub: "bench-admin", role: "admin" }, stack.env.JWT_SECRET!));
  const issued: BenchData["partners"] = [];
  for (const partner of partners) {
    const { issuePartnerApiKey } = await requestGraphQL(stack.gatewayUrl, `mutation($id: ID!) { issuePartnerApiKey(partnerId: $id) { key } }`, { id: partner.id }, admin);
    // Clearing terms, so every purchase, bonus and statement the bench makes is valued at a real price (postpaid: no allowance to run out).
    await requestGraphQL(stack.gatewayUrl, SET_TERMS, { input: { partnerId: partner.id, ...BENCH_TERMS } }, admin);
    const { id, currency, pointsPerUnit, returnWindowDays } = partner;
    issued.push({ id, currency, pointsPerUnit, returnWindowDays, apiKey: issuePartnerApiKey.key });
  }
  return issued;
}

/** Seeds the coalition straight into the stack's databases (the bulk seeder), then issues the partners' API keys. */
export async function seedBenchData(
  stack: Stack,
  options: { members: number; partners: number; rewards: number; entries: number; heavyEntries: number },
  onProgress?: (progress: SeedProgress) => void,
): Promise<BenchData> {
  const summary = await seedCoalition({
    members: options.members,
    partners: options.partners,
    rewards: options.rewards,
    entries: options.entries,
    heavyMemberEntries: options.heavyEntries,
    databaseUrl: stack.env.DATABASE_URL,
    suffix: stack.env.DATABASE_NAME_SUFFIX,
    onProgress,
  });
  if (!summary.heavyMember) throw new Error("The bench needs a heavy member: --heavy-entries must be above 0");
  return {
    members: summary.members,
    memberIds: Array.from({ length: summary.plan.members }, (_, i) => seedMemberId(i + 1)),
    partners: await issueApiKeys(stack, summary.plan.partners),
    rewards: summary.rewards,
    ledgerEntries: summary.entries,
    light: summary.lightMember,
    heavy: summary.heavyMember,
  };
}
