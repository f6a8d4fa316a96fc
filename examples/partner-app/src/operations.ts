import { graphql } from "./gql";

/**
 * The six operations of a partner's app. `npm run codegen` reads them from here and generates their
 * result and variable types into ./gql; each constant below is then a typed document.
 */

/** Who the API key acts for: the app needs no partner id configured beside its key. */
export const WhoAmI = graphql(`
  query WhoAmI {
    viewer {
      kind
      partner {
        id
      }
    }
  }
`);

/** The partner's own earn rule and its rewards (public data: any caller may read it). */
export const ListRewards = graphql(`
  query ListRewards($partnerId: ID!, $first: Int) {
    partner(id: $partnerId) {
      id
      name
      currency
      pointsPerUnit
    }
    rewards(partnerId: $partnerId, first: $first) {
      id
      title
      costPoints
      minimumTier
      stock
      active
    }
  }
`);

/**
 * Asks to link the member's account at this partner (loyalty card number…). A partner app's link is
 * PENDING until the member approves it in their own app; until then the app sees nothing of them.
 */
export const LinkMember = graphql(`
  mutation LinkMember($input: LinkPartnerAccountInput!) {
    linkPartnerAccount(input: $input) {
      externalId
      status
      linkedAt
    }
  }
`);

/** What a partner app may see of a member with an ACTIVE link to it: name, tier and available points. */
export const MemberPoints = graphql(`
  query MemberPoints($memberId: ID!) {
    member(id: $memberId) {
      id
      displayName
      tier
      balance {
        available
      }
    }
  }
`);

/** Earn at checkout. The partner never sends points: the ledger computes them from the partner's rule. */
export const EarnAtCheckout = graphql(`
  mutation EarnAtCheckout($input: RecordPurchaseInput!) {
    recordPurchase(input: $input) {
      id
      kind
      points
      reference
      occurredAt
    }
  }
`);

/** A refund of (part of) a purchase: claws back points in proportion to the amount refunded. */
export const RefundPurchase = graphql(`
  mutation RefundPurchase($input: ReversePurchaseInput!) {
    reversePurchase(input: $input) {
      id
      kind
      points
      reference
      occurredAt
    }
  }
`);
