import { buildFederatedSchema } from "../../../shared/src/subgraph-schema";
import { CampaignResolver, CampaignFiguresResolver, LedgerEntryBonusesResolver, MemberOffersResolver } from "./campaign/campaign.resolver";
import { ReferralResolver } from "./campaign/referral.resolver";
import { MemberActivityResolver } from "./activity/activity.resolver";
import { AdjustmentResolver } from "./adjustment/adjustment.resolver";
import { AuditLogResolver } from "./audit/audit-log.resolver";
import { PartnerInsightsResolver } from "./insights/insights.resolver";
import { ClearingResolver, PartnerClearingResolver } from "./clearing/clearing.resolver";
import { MemberBalanceResolver, PointsBalanceResolver } from "./balance/balance.resolver";
import { HoldResolver } from "./hold/hold.resolver";
import { ledgerEntryReference } from "./entry/ledger-entry.reference";
import { LedgerMemberDataResolver } from "./member-data/member-data.resolver";
import { memberReference } from "./member/member.reference";
import { Member } from "./member/member.type";
import { partnerReference } from "./partner/partner.reference";
import { PurchaseResolver } from "./purchase/purchase.resolver";
import { ReversalResolver } from "./reversal/reversal.resolver";
import { PartnerSettlementResolver } from "./settlement/settlement.resolver";
import { TransferResolver } from "./transfer/transfer.resolver";

/** The ledger subgraph's whole surface. */
export const buildSchema = () =>
  buildFederatedSchema({
    resolvers: [PurchaseResolver, AdjustmentResolver, AuditLogResolver, ReversalResolver, TransferResolver, HoldResolver, MemberBalanceResolver, PointsBalanceResolver, MemberActivityResolver, PartnerSettlementResolver, PartnerClearingResolver, ClearingResolver, PartnerInsightsResolver, LedgerMemberDataResolver, CampaignResolver, MemberOffersResolver, LedgerEntryBonusesResolver, ReferralResolver, CampaignFiguresResolver],
    orphanedTypes: [Member],
    referenceResolvers: { ...memberReference, ...ledgerEntryReference, ...partnerReference },
  });
