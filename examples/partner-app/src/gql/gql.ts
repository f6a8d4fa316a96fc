/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query WhoAmI {\n    viewer {\n      kind\n      partner {\n        id\n      }\n    }\n  }\n": typeof types.WhoAmIDocument,
    "\n  query ListRewards($partnerId: ID!, $first: Int) {\n    partner(id: $partnerId) {\n      id\n      name\n      currency\n      pointsPerUnit\n    }\n    rewards(partnerId: $partnerId, first: $first) {\n      id\n      title\n      costPoints\n      minimumTier\n      stock\n      active\n    }\n  }\n": typeof types.ListRewardsDocument,
    "\n  mutation LinkMember($input: LinkPartnerAccountInput!) {\n    linkPartnerAccount(input: $input) {\n      externalId\n      status\n      linkedAt\n    }\n  }\n": typeof types.LinkMemberDocument,
    "\n  query MemberPoints($memberId: ID!) {\n    member(id: $memberId) {\n      id\n      displayName\n      tier\n      balance {\n        available\n      }\n    }\n  }\n": typeof types.MemberPointsDocument,
    "\n  mutation EarnAtCheckout($input: RecordPurchaseInput!) {\n    recordPurchase(input: $input) {\n      id\n      kind\n      points\n      reference\n      occurredAt\n    }\n  }\n": typeof types.EarnAtCheckoutDocument,
    "\n  mutation RefundPurchase($input: ReversePurchaseInput!) {\n    reversePurchase(input: $input) {\n      id\n      kind\n      points\n      reference\n      occurredAt\n    }\n  }\n": typeof types.RefundPurchaseDocument,
};
const documents: Documents = {
    "\n  query WhoAmI {\n    viewer {\n      kind\n      partner {\n        id\n      }\n    }\n  }\n": types.WhoAmIDocument,
    "\n  query ListRewards($partnerId: ID!, $first: Int) {\n    partner(id: $partnerId) {\n      id\n      name\n      currency\n      pointsPerUnit\n    }\n    rewards(partnerId: $partnerId, first: $first) {\n      id\n      title\n      costPoints\n      minimumTier\n      stock\n      active\n    }\n  }\n": types.ListRewardsDocument,
    "\n  mutation LinkMember($input: LinkPartnerAccountInput!) {\n    linkPartnerAccount(input: $input) {\n      externalId\n      status\n      linkedAt\n    }\n  }\n": types.LinkMemberDocument,
    "\n  query MemberPoints($memberId: ID!) {\n    member(id: $memberId) {\n      id\n      displayName\n      tier\n      balance {\n        available\n      }\n    }\n  }\n": types.MemberPointsDocument,
    "\n  mutation EarnAtCheckout($input: RecordPurchaseInput!) {\n    recordPurchase(input: $input) {\n      id\n      kind\n      points\n      reference\n      occurredAt\n    }\n  }\n": types.EarnAtCheckoutDocument,
    "\n  mutation RefundPurchase($input: ReversePurchaseInput!) {\n    reversePurchase(input: $input) {\n      id\n      kind\n      points\n      reference\n      occurredAt\n    }\n  }\n": types.RefundPurchaseDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WhoAmI {\n    viewer {\n      kind\n      partner {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  query WhoAmI {\n    viewer {\n      kind\n      partner {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ListRewards($partnerId: ID!, $first: Int) {\n    partner(id: $partnerId) {\n      id\n      name\n      currency\n      pointsPerUnit\n    }\n    rewards(partnerId: $partnerId, first: $first) {\n      id\n      title\n      costPoints\n      minimumTier\n      stock\n      active\n    }\n  }\n"): (typeof documents)["\n  query ListRewards($partnerId: ID!, $first: Int) {\n    partner(id: $partnerId) {\n      id\n      name\n      currency\n      pointsPerUnit\n    }\n    rewards(partnerId: $partnerId, first: $first) {\n      id\n      title\n      costPoints\n      minimumTier\n      stock\n      active\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LinkMember($input: LinkPartnerAccountInput!) {\n    linkPartnerAccount(input: $input) {\n      externalId\n      status\n      linkedAt\n    }\n  }\n"): (typeof documents)["\n  mutation LinkMember($input: LinkPartnerAccountInput!) {\n    linkPartnerAccount(input: $input) {\n      externalId\n      status\n      linkedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MemberPoints($memberId: ID!) {\n    member(id: $memberId) {\n      id\n      displayName\n      tier\n      balance {\n        available\n      }\n    }\n  }\n"): (typeof documents)["\n  query MemberPoints($memberId: ID!) {\n    member(id: $memberId) {\n      id\n      displayName\n      tier\n      balance {\n        available\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EarnAtCheckout($input: RecordPurchaseInput!) {\n    recordPurchase(input: $input) {\n      id\n      kind\n      points\n      reference\n      occurredAt\n    }\n  }\n"): (typeof documents)["\n  mutation EarnAtCheckout($input: RecordPurchaseInput!) {\n    recordPurchase(input: $input) {\n      id\n      kind\n      points\n      reference\n      occurredAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RefundPurchase($input: ReversePurchaseInput!) {\n    reversePurchase(input: $input) {\n      id\n      kind\n      points\n      reference\n      occurredAt\n    }\n  }\n"): (typeof documents)["\n  mutation RefundPurchase($input: ReversePurchaseInput!) {\n    reversePurchase(input: $input) {\n      id\n      kind\n      points\n      reference\n      occurredAt\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;