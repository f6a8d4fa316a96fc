import { type GraphQLArgument, type GraphQLSchema, buildClientSchema, buildSchema, getIntrospectionQuery, isEnumType, isInputObjectType, isNonNullType, isObjectType } from "graphql";
import { ok } from "./support/gateway";

/**
 * The public contract frontend teams build against (issue #2): these names and types must stay.
 * Fields may be added to the API; none of these may be renamed, retyped or removed.
 * One deliberate change (issue 20): the ledger's Member fields (balance, tier, tierProgress) became
 * nullable, so that a member's profile still reads while the ledger is down (README, Faults).
 *
 * Deliberate changes (issue #19, README "Frontend clients: Apollo Client and urql"): every Member field
 * but id, and every PointsBalance field but available, became nullable (a caller who may not read one
 * gets null and FORBIDDEN for it alone, not for the whole member; a client reading them as before
 * still works);
 * PartnerAccount gained an id; the lists that grow gained cursor connections beside them.
 *
 * Deliberate change (bounded lists, README "The contract"): Partner.rewards, which listed all of a
 * partner's rewards, takes `first` (1 to 100, 100 by default): a query without it reads as before for a
 * partner with at most 100 rewards.
 */
const CONTRACT = `
scalar DateTimeISO
enum TierLevel { BASE SILVER GOLD PLATINUM }
enum PartnerCategory { AIRLINE GROCERY FUEL HOTEL DINING RETAIL TRAVEL OTHER }
enum RedemptionStatus { PENDING COMPLETED FAILED CANCELLED }
enum LedgerEntryKind { EARN REDEEM TRANSFER_IN TRANSFER_OUT EXPIRY REVERSAL ADJUSTMENT BONUS }
type Member {
  id: ID!  email: String  displayName: String  enrolledAt: DateTimeISO
  partnerAccounts: [PartnerAccount!]
  balance: PointsBalance  tier: TierLevel  tierProgress: TierProgress
  eligibleRewards(first: Int = 20): [Reward!]
  redemptions(first: Int = 20): [Redemption!]
  eligibleRewardsConnection(first: Int = 20, after: String): RewardConnection
  redemptionsConnection(first: Int = 20, after: String): RedemptionConnection
  activity(first: Int = 20, after: String): LedgerEntryConnection
}
type PartnerAccount { id: ID!  partner: Partner!  externalId: String!  linkedAt: DateTimeISO! }
type PageInfo { hasNextPage: Boolean!  endCursor: String }
type MemberEdge { cursor: String!  node: Member! }
type MemberConnection { edges: [MemberEdge!]!  pageInfo: PageInfo! }
type RewardEdge { cursor: String!  node: Reward! }
type RewardConnection { edges: [RewardEdge!]!  pageInfo: PageInfo! }
type RedemptionEdge { cursor: String!  node: Redemption! }
type RedemptionConnection { edges: [RedemptionEdge!]!  pageInfo: PageInfo! }
type LedgerEntryEdge { cursor: String!  node: LedgerEntry! }
type LedgerEntryConnection { edges: [LedgerEntryEdge!]!  pageInfo: PageInfo! }
type Partner {
  id: ID!  slug: String!  name: String!  category: PartnerCategory!  pointsPerUnit: Float!  currency: String!  returnWindowDays: Int!
  rewards(first: Int! = 100): [Reward!]!
}
type PointsBalance { available: Int!  pending: Int  lifetimeEarned: Int  lifetimeRedeemed: Int  byPartner: [PartnerPoints!] }
type PartnerPoints { partner: Partner!  earned: Int!  redeemed: Int! }
type TierProgress { current: TierLevel!  next: TierLevel  qualifyingPoints: Int!  nextThreshold: Int  pointsToNext: Int!  progress: Float! }
type LedgerEntry { id: ID!  member: Member!  partner: Partner  kind: LedgerEntryKind!  points: Int!  reference: String  occurredAt: DateTimeISO! }
type Reward {
  id: ID!  title: String!  description: String!  partner: Partner!
  costPoints: Int!  minimumTier: TierLevel!  stock: Int  validFrom: DateTimeISO  validUntil: DateTimeISO  active: Boolean!
}
type Redemption { id: ID!  member: Member!  reward: Reward!  pointsSpent: Int!  status: RedemptionStatus!  voucherCode: String  createdAt: DateTimeISO! }
input EnrollMemberInput { email: String!  displayName: String! }
input RegisterPartnerInput { slug: String!  name: String!  category: PartnerCategory!  pointsPerUnit: Float!  currency: String!  returnWindowDays: Int! }
input LinkPartnerAccountInput { memberId: ID!  partnerId: ID!  externalId: String! }
input RecordPurchaseInput { partnerId: ID!  memberId: ID!  amountMinor: Int!  currency: String!  reference: String! }
input CreateRewardInput { partnerId: ID!  title: String!  description: String!  costPoints: Int!  minimumTier: TierLevel!  stock: Int  validFrom: DateTimeISO  validUntil: DateTimeISO }
input RedeemRewardInput { memberId: ID!  rewardId: ID!  idempotencyKey: String! }
type Query {
  member(id: ID!): Member  memberByEmail(email: String!): Member  members(first: Int = 20, after: ID): [Member!]!
  membersConnection(first: Int = 20, after: String): MemberConnection!
  partner(id: ID!): Partner  partners: [Partner!]!
  reward(id: ID!): Reward  rewards(partnerId: ID, first: Int = 50): [Reward!]!
  rewardsConnection(partnerId: ID, first: Int = 50, after: String): RewardConnection!
}
type Mutation {
  enrollMember(input: EnrollMemberInput!): Member!
  registerPartner(input: RegisterPartnerInput!): Partner!
  linkPartnerAccount(input: LinkPartnerAccountInput!): PartnerAccount!
  recordPurchase(input: RecordPurchaseInput!): LedgerEntry!
  createReward(input: CreateRewardInput!): Reward!
  redeemReward(input: RedeemRewardInput!): Redemption!
}`;

/** Every contract name, as `Type.field(arg: Type = default): Type`, for a readable diff. */
function signatures(schema: GraphQLSchema, only?: Set<string>): string[] {
  const lines: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith("__") || (only && !only.has(type.name))) continue;
    if (isEnumType(type)) lines.push(`${type.name} = ${type.getValues().map((v) => v.name).join(" | ")}`);
    if (isObjectType(type) || isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        const args: readonly GraphQLArgument[] = "args" in field ? field.args : [];
        const printed = args.map((a) => `${a.name}: ${a.type}${a.defaultValue !== undefined ? ` = ${a.defaultValue}` : ""}`).sort();
        lines.push(`${type.name}.${field.name}(${printed.join(", ")}): ${field.type}`);
      }
    }
  }
  return lines.sort();
}

describe("public contract", () => {
  it("the gateway's API has every contract type, field, argument and enum value, unchanged", async () => {
    const api = buildClientSchema(await ok(getIntrospectionQuery()));
    const contract = buildSchema(CONTRACT);
    const apiSignatures = new Set(signatures(api));
    expect(signatures(contract).filter((line) => !apiSignatures.has(line))).toEqual([]);
  });

  it("every Member field but id is nullable, those added since the contract included (issue #19)", async () => {
    const api = buildClientSchema(await ok(getIntrospectionQuery()));
    const member = api.getType("Member");
    if (!isObjectType(member)) throw new Error("no Member type");
    const nonNull = Object.values(member.getFields()).filter((f) => isNonNullType(f.type)).map((f) => f.name);
    expect(nonNull).toEqual(["id"]);
  });

  it("hides service-to-service operations", async () => {
    const api = buildClientSchema(await ok(getIntrospectionQuery()));
    for (const hidden of ["placeHold", "captureHold", "releaseHold"]) expect(api.getMutationType()!.getFields()).not.toHaveProperty(hidden);
    expect(api.getType("HoldInput")).toBeUndefined();
    expect(api.getType("PointsHold")).toBeUndefined();
  });
});
