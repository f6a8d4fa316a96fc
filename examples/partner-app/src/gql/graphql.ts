/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** What moved points in or out of a member's balance. */
export type LedgerEntryKind =
  /** A manual correction by the coalition. */
  | 'ADJUSTMENT'
  /** Bonus points from a campaign or a referral, funded by a partner or by the coalition. */
  | 'BONUS'
  /** Points earned by a purchase at a partner. */
  | 'EARN'
  /** Points that expired unused. */
  | 'EXPIRY'
  /** Points spent on a reward. */
  | 'REDEEM'
  /** A reversal: points clawed back because a purchase was refunded (negative), or given back because a redemption was cancelled (positive). */
  | 'REVERSAL'
  /** Points received from another member. */
  | 'TRANSFER_IN'
  /** Points given to another member. */
  | 'TRANSFER_OUT';

/** Links a member to their account at a partner brand. */
export type LinkPartnerAccountInput = {
  /** The member's account id at the partner, 1 to 100 characters; unique per partner. */
  externalId: string;
  /** The member to link (a UUID); must exist. */
  memberId: string | number;
  /** The partner brand the account is at (a UUID); must exist. */
  partnerId: string | number;
};

/** Whether the member has agreed to a link. Only an ACTIVE link lets the partner's apps see anything of the member (`displayName`, `tier`, `balance.available`); earning at the partner (`recordPurchase`) needs no link at all. */
export type PartnerAccountStatus =
  /** Agreed by the member (made or approved by them) or made by an admin: the partner's apps see the member's `displayName`, `tier` and `balance.available`. */
  | 'ACTIVE'
  /** Made by the partner's app (linkPartnerAccount, or enrollMember at its till) and waiting for the member to approve it with approvePartnerLink. Gives the partner no view of the member; the member and admins see it. */
  | 'PENDING';

/** A purchase a member made at a partner. Points are computed from the partner's earn rule; callers never send points. */
export type RecordPurchaseInput = {
  /** Amount paid, in minor units of the currency (cents): 12.34 EUR is 1234. Between 1 and 100,000,000. */
  amountMinor: number;
  /** ISO 4217 code of the amount (case-insensitive); must be the partner's currency. */
  currency: string;
  /** The member who bought (a UUID); must exist. */
  memberId: string | number;
  /** When the purchase was made (default: now); at most 365 days ago and not in the future. A late purchase earns at the tier the member had at that time. */
  occurredAt?: string | null | undefined;
  /** The partner where the purchase was made: the calling app's own partner (admins: any). */
  partnerId: string | number;
  /** The partner's receipt id, 1 to 100 characters. The same partner and reference are recorded once: a retry returns the first entry. */
  reference: string;
};

/** A full or partial refund of a recorded purchase: its points are clawed back in proportion. */
export type ReversePurchaseInput = {
  /** Amount refunded, in minor units of the purchase's currency (cents); all refunds of a purchase together may not exceed its amount. */
  amountMinor: number;
  /** The partner the purchase was recorded at: the calling app's own partner (admins: any). */
  partnerId: string | number;
  /** The receipt id the purchase was recorded with. */
  reference: string;
  /** The partner's refund id: a retry with the same one returns the first reversal. Without it the refund is identified by its amount, so two partial refunds of the same amount need refund ids. */
  refundReference?: string | null | undefined;
};

/** Membership tier, from the member's qualifying points (see `Member.tierProgress` for the thresholds and how far the member is). A higher tier earns more points per purchase and unlocks rewards with a higher `minimumTier`; tiers go down as qualifying points leave the window. */
export type TierLevel =
  /** Every member starts here; earns the partner's base rate. */
  | 'BASE'
  /** The third tier. */
  | 'GOLD'
  /** The top tier. */
  | 'PLATINUM'
  /** The second tier. */
  | 'SILVER';

export type ListRewardsQueryVariables = Exact<{
  partnerId: string | number;
  first?: number | null | undefined;
}>;


export type ListRewardsQuery = { partner: { id: string, name: string, currency: string, pointsPerUnit: number } | null, rewards: Array<{ id: string, title: string, costPoints: number, minimumTier: TierLevel, stock: number | null, active: boolean }> };

export type LinkMemberMutationVariables = Exact<{
  input: LinkPartnerAccountInput;
}>;


export type LinkMemberMutation = { linkPartnerAccount: { externalId: string, status: PartnerAccountStatus, linkedAt: string } };

export type MemberPointsQueryVariables = Exact<{
  memberId: string | number;
}>;


export type MemberPointsQuery = { member: { id: string, displayName: string, tier: TierLevel | null, balance: { available: number } | null } | null };

export type EarnAtCheckoutMutationVariables = Exact<{
  input: RecordPurchaseInput;
}>;


export type EarnAtCheckoutMutation = { recordPurchase: { id: string, kind: LedgerEntryKind, points: number, reference: string | null, occurredAt: string } };

export type RefundPurchaseMutationVariables = Exact<{
  input: ReversePurchaseInput;
}>;


export type RefundPurchaseMutation = { reversePurchase: { id: string, kind: LedgerEntryKind, points: number, reference: string | null, occurredAt: string } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const ListRewardsDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<ListRewardsQuery, ListRewardsQueryVariables>;
export const LinkMemberDocument = new TypedDocumentString(`
    mutation LinkMember($input: LinkPartnerAccountInput!) {
  linkPartnerAccount(input: $input) {
    externalId
    status
    linkedAt
  }
}
    `) as unknown as TypedDocumentString<LinkMemberMutation, LinkMemberMutationVariables>;
export const MemberPointsDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<MemberPointsQuery, MemberPointsQueryVariables>;
export const EarnAtCheckoutDocument = new TypedDocumentString(`
    mutation EarnAtCheckout($input: RecordPurchaseInput!) {
  recordPurchase(input: $input) {
    id
    kind
    points
    reference
    occurredAt
  }
}
    `) as unknown as TypedDocumentString<EarnAtCheckoutMutation, EarnAtCheckoutMutationVariables>;
export const RefundPurchaseDocument = new TypedDocumentString(`
    mutation RefundPurchase($input: ReversePurchaseInput!) {
  reversePurchase(input: $input) {
    id
    kind
    points
    reference
    occurredAt
  }
}
    `) as unknown as TypedDocumentString<RefundPurchaseMutation, RefundPurchaseMutationVariables>;