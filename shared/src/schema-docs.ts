/**
 * Descriptions of the types and fields that several subgraphs define (entities and their stubs, the
 * balance the catalog reads from the ledger). Composition keeps one description per element and
 * hints when subgraphs disagree, so every subgraph takes the same words from here.
 */
export const docs = {
  member:
    "A person enrolled in the coalition: one points balance, earned and spent at every partner brand. " +
    "A member sees all of their own fields and admins see every member; the app of a partner the member has an ACTIVE link with " +
    "(one the member made or approved, or an admin made) sees only `id`, `displayName`, `tier` and `balance.available`. Anything else is FORBIDDEN.",
  memberId: "The member's unique id (a UUID).",
  memberTier: "The member's tier now, from their qualifying points (see tierProgress). Seen by the member, admins and the apps of partners the member has an ACTIVE link with.",
  memberBalance:
    "The member's points across all partners. Seen by the member and admins; the app of a partner the member has an ACTIVE link with sees only `available` (any other field of the balance is FORBIDDEN to it).",
  pointsBalance: "A member's points across every partner of the coalition. All figures are in points (whole numbers), never money.",
  pointsAvailable:
    "Points the member can spend now: earned, not pending, not held by a redemption in progress, not expired. " +
    "Negative when refunds clawed back points already spent: redemptions and transfers wait until it is positive again.",
  partner:
    "A partner brand of the coalition (an airline, a grocer, a hotel chain…): members earn points there and spend them at any partner. " +
    "Its public fields (name, category, earn rule, rewards) anyone may read; its `settlement` only its own apps and admins.",
  partnerId: "The partner's unique id (a UUID).",
  query:
    "What can be read. Partners and the reward catalog are public. Members' data needs a credential: a member's bearer token (their own data), " +
    "a partner app's `x-api-key` (a few fields of the members who agreed to a link with that partner) or an admin's token.",
  mutation:
    "What can be done. A mutation that fails writes nothing and says why in `extensions.code`; " +
    "those that take a reference or an idempotency key are safe to retry.",
} as const;

/** A root field's description: what it does, then a GraphQL example to paste into Sandbox. */
export function withExample(description: string, example: string): string {
  return `${description}\n\nExample:\n\`\`\`graphql\n${example.trim()}\n\`\`\``;
}
