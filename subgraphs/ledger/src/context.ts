import type { DataSource } from "typeorm";
import { createLinkedPartnersLoader } from "../../../shared/src/auth/linked-partners";
import type { Identity } from "../../../shared/src/auth/proof";
import { SubgraphClient } from "../../../shared/src/subgraph-client";
import { createActivityLoader } from "./activity/activity.loader";
import { createAdjustmentLoader } from "./adjustment/adjustment.loader";
import { AdjustmentService } from "./adjustment/adjustment.service";
import { AuditLogService } from "./audit/audit-log.service";
import { InsightsService } from "./insights/insights.service";
import { insightsMinGroup } from "./settings";
import { createBonusesLoader, createCampaignCostLoader, createEntryCampaignLoader } from "./campaign/campaign.loader";
import { CampaignService } from "./campaign/campaign.service";
import { createOffersLoader } from "./campaign/offers.loader";
import { ReferralService } from "./campaign/referral.service";
import { ClearingService } from "./clearing/clearing.service";
import { TermsService } from "./clearing/terms.service";
import { createExpiringSoonLoader, createPartnerPointsLoader, createStandingLoader } from "./balance/standing.loader";
import { type Clock, systemClock } from "./clock";
import { HoldService } from "./hold/hold.service";
import { ErasureService } from "./member-data/erasure.service";
import { createLedgerEntryLoader } from "./entry/ledger-entry.loader";
import { PurchaseService } from "./purchase/purchase.service";
import { ReversalService } from "./reversal/reversal.service";
import { createSettlementLoader } from "./settlement/settlement.loader";
import { TransferService } from "./transfer/transfer.service";

/**
 * Per request: services and fresh DataLoaders, so batching never leaks data between requests. Calls
 * to other services carry the request's id.
 */
export function createContext(dataSource: DataSource, identity: Identity = { kind: "anonymous" }, clock: Clock = systemClock, requestId?: string) {
  const manager = dataSource.manager;
  const members = new SubgraphClient("members", requestId);
  const standing = createStandingLoader(manager, clock);
  return {
    identity,
    requestId,
    auditLog: new AuditLogService(dataSource, requestId),
    insights: new InsightsService(dataSource, clock, members, new SubgraphClient("partners", requestId), insightsMinGroup(), standing),
    adjustments: new AdjustmentService(dataSource, clock, members, new SubgraphClient("partners", requestId)),
    dataSource,
    erasures: new ErasureService(dataSource, clock),
    purchases: new PurchaseService(dataSource, clock, requestId),
    holds: new HoldService(dataSource, clock),
    reversals: new ReversalService(dataSource, clock),
    transfers: new TransferService(dataSource, clock, members),
    referrals: new ReferralService(dataSource),
    campaigns: new CampaignService(dataSource, clock, new SubgraphClient("partners", requestId)),
    clearing: new ClearingService(dataSource, clock),
    terms: new TermsService(dataSource, clock, new SubgraphClient("partners", requestId)),
    loaders: {
      standing,
      linkedPartners: createLinkedPartnersLoader(members),
      partnerPoints: createPartnerPointsLoader(manager),
      expiringSoon: createExpiringSoonLoader(manager, clock),
      ledgerEntry: createLedgerEntryLoader(manager),
      activity: createActivityLoader(manager),
      settlement: createSettlementLoader(manager, clock),
      adjustment: createAdjustmentLoader(manager),
      bonuses: createBonusesLoader(manager),
      campaignCost: createCampaignCostLoader(manager),
      entryCampaign: createEntryCampaignLoader(manager, clock),
      offers: createOffersLoader(manager, clock),
    },
  };
}
export type Context = ReturnType<typeof createContext>;
