/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
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

/** What kind of caller a request comes from, decided by its credentials. */
export type ViewerKind =
  /** An admin's bearer token. */
  | 'ADMIN'
  /** No credentials: public data only (`partners`, `rewards`). */
  | 'ANONYMOUS'
  /** A member's bearer token: `viewer.member` is that member. */
  | 'MEMBER'
  /** A partner app's API key (`x-api-key`): `viewer.partner` is the partner it acts for. */
  | 'PARTNER';

export type WhoAmIQueryVariables = Exact<{ [key: string]: never; }>;


export type WhoAmIQuery = { viewer: { kind: ViewerKind, partner: { id: string } | null } };

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


export type MemberPointsQuery = { member: { id: string, displayName: string | null, tier: TierLevel | null, balance: { available: number } | null } | null };

export type EarnAtCheckoutMutationVariables = Exact<{
  input: RecordPurchaseInput;
}>;


export type EarnAtCheckoutMutation = { recordPurchase: { id: string, kind: LedgerEntryKind, points: number, reference: string | null, occurredAt: string } };

export type RefundPurchaseMutationVariables = Exact<{
  input: ReversePurchaseInput;
}>;


export type RefundPurchaseMutation = { reversePurchase: { id: string, kind: LedgerEntryKind, points: number, reference: string | null, occurredAt: string } };


export const WhoAmIDocument = {"__meta__":{"hash":"808704181d97432348bd99085b9e1795f1bf2d64e0c5fcff44dc2016b43e4d33"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WhoAmI"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"partner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]}}]} as unknown as DocumentNode<WhoAmIQuery, WhoAmIQueryVariables>;
export const ListRewardsDocument = {"__meta__":{"hash":"f09a87d6ff01ed6987efbf012ab1058f79a7c0f3838627f665e0f9af9dd4cbf0"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ListRewards"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"partnerId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"partner"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"partnerId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}},{"kind":"Field","name":{"kind":"Name","value":"pointsPerUnit"}}]}},{"kind":"Field","name":{"kind":"Name","value":"rewards"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"partnerId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"partnerId"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"costPoints"}},{"kind":"Field","name":{"kind":"Name","value":"minimumTier"}},{"kind":"Field","name":{"kind":"Name","value":"stock"}},{"kind":"Field","name":{"kind":"Name","value":"active"}}]}}]}}]} as unknown as DocumentNode<ListRewardsQuery, ListRewardsQueryVariables>;
export const LinkMemberDocument = {"__meta__":{"hash":"30938189b4058dba0c5a92cd0129604b6d97b4a739ad95cdae07df5715ff79e8"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"LinkMember"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"LinkPartnerAccountInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"linkPartnerAccount"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"externalId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"linkedAt"}}]}}]}}]} as unknown as DocumentNode<LinkMemberMutation, LinkMemberMutationVariables>;
export const MemberPointsDocument = {"__meta__":{"hash":"3a3293ec6372cf90b25750925904c694921e3ed546e414e7d57ca5e29921bf94"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"MemberPoints"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"memberId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"member"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"memberId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"tier"}},{"kind":"Field","name":{"kind":"Name","value":"balance"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"available"}}]}}]}}]}}]} as unknown as DocumentNode<MemberPointsQuery, MemberPointsQueryVariables>;
export const EarnAtCheckoutDocument = {"__meta__":{"hash":"61f079d02e7ea5292c72e38d80331ce166f53b524fdee9715ecf60999b54a373"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"EarnAtCheckout"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RecordPurchaseInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"recordPurchase"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"points"}},{"kind":"Field","name":{"kind":"Name","value":"reference"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}}]}}]}}]} as unknown as DocumentNode<EarnAtCheckoutMutation, EarnAtCheckoutMutationVariables>;
export const RefundPurchaseDocument = {"__meta__":{"hash":"eb54275b12d54626fe1f80c24817e9942d0db4868e5bf1892434a67152bba3f0"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RefundPurchase"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ReversePurchaseInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reversePurchase"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"points"}},{"kind":"Field","name":{"kind":"Name","value":"reference"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}}]}}]}}]} as unknown as DocumentNode<RefundPurchaseMutation, RefundPurchaseMutationVariables>;