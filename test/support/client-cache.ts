import { InMemoryCache } from "@apollo/client";
import { relayStylePagination } from "@apollo/client/utilities";
import { type CacheExchangeOpts, cacheExchange } from "@urql/exchange-graphcache";
import { relayPagination } from "@urql/exchange-graphcache/extras";

/**
 * The cache settings the README gives frontend teams ("Frontend clients: Apollo Client and urql"),
 * exactly as written there; test/clients.test.ts runs them against the stack and fails on any warning.
 */

/** Object types without an `id`: values that belong to the object holding them, never shared. */
export const VALUE_TYPES = [
  "Adjustment",
  "AuditEventConnection",
  "AuditEventEdge",
  "CampaignConnection",
  "CampaignEdge",
  "CategoryShare",
  "ClearingReport",
  "ExpiringPoints",
  "LedgerEntryConnection",
  "LedgerEntryEdge",
  "MemberConnection",
  "MemberEdge",
  "PageInfo",
  "PartnerInsights",
  "PartnerLiability",
  "PartnerPoints",
  "PartnerSettlement",
  "PartnerTerms",
  "PointsBalance",
  "RedemptionConnection",
  "RedemptionEdge",
  "RewardConnection",
  "RewardEdge",
  "SettlementCounterpart",
  "SettlementLine",
  "SettlementStatement",
  "TierCount",
  "TierProgress",
  "Viewer",
] as const;

/** Apollo Client: value types merge into what is cached, connections page with relayStylePagination. */
export const apolloCache = () =>
  new InMemoryCache({
    typePolicies: {
      PointsBalance: { merge: true },
      TierProgress: { merge: true },
      PartnerSettlement: { merge: true },
      Query: {
        fields: {
          membersConnection: relayStylePagination(),
          rewardsConnection: relayStylePagination(["partnerId"]),
          campaignsConnection: relayStylePagination(["partnerId", "activeOnly"]),
        },
      },
      Member: {
        fields: {
          activity: relayStylePagination(),
          redemptionsConnection: relayStylePagination(),
          eligibleRewardsConnection: relayStylePagination(),
          offersConnection: relayStylePagination(),
        },
      },
    },
  });

/** urql graphcache: value types have no key (`null`), connections page with relayPagination. */
export const urqlCacheOptions = (logger?: CacheExchangeOpts["logger"]): CacheExchangeOpts => ({
  keys: Object.fromEntries(VALUE_TYPES.map((type) => [type, () => null])),
  resolvers: {
    Query: { membersConnection: relayPagination(), rewardsConnection: relayPagination(), campaignsConnection: relayPagination() },
    Member: { activity: relayPagination(), redemptionsConnection: relayPagination(), eligibleRewardsConnection: relayPagination(), offersConnection: relayPagination() },
  },
  ...(logger ? { logger } : {}),
});

export const urqlCache = (logger?: CacheExchangeOpts["logger"]) => cacheExchange(urqlCacheOptions(logger));
