import { CreateLedger1732300000000 } from "./migrations/1732300000000-CreateLedger";
import { CreateHolds1732500000000 } from "./migrations/1732500000000-CreateHolds";
import { RedemptionRefunds1732600000000 } from "./migrations/1732600000000-RedemptionRefunds";
import { LookupIndexes1732800000000 } from "./migrations/1732800000000-LookupIndexes";
import { PendingDays1733000000000 } from "./migrations/1733000000000-PendingDays";
import { RecordPurchases1733100000000 } from "./migrations/1733100000000-RecordPurchases";
import { QualifyingIndexOnly1733200000000 } from "./migrations/1733200000000-QualifyingIndexOnly";
import { RecordPurchasesCapped1733310000000 } from "./migrations/1733310000000-RecordPurchasesCapped";
import { ScopedTransferKeys1733320000000 } from "./migrations/1733320000000-ScopedTransferKeys";
import { RecordPurchasesFromRules1733400000000 } from "./migrations/1733400000000-RecordPurchasesFromRules";
import { ReversalReasons1733410000000 } from "./migrations/1733410000000-ReversalReasons";
import { CoalitionAndBonusKinds1733500000000 } from "./migrations/1733500000000-CoalitionAndBonusKinds";
import { ClearingHouse1734000000000 } from "./migrations/1734000000000-ClearingHouse";
import { Campaigns1734100000000 } from "./migrations/1734100000000-Campaigns";
import { MemberErasures1734210000000 } from "./migrations/1734210000000-MemberErasures";
import { AuditEvents1734250000000 } from "./migrations/1734250000000-AuditEvents";
import { Adjustments1734250100000 } from "./migrations/1734250100000-Adjustments";
import { EarnMonths1734250200000 } from "./migrations/1734250200000-EarnMonths";
import { CampaignBonusesAtOnce1734260000000 } from "./migrations/1734260000000-CampaignBonusesAtOnce";
import { CampaignMatchesCoveredFirst1734270000000 } from "./migrations/1734270000000-CampaignMatchesCoveredFirst";
import { ExpiredLotsIndexOnly1734280000000 } from "./migrations/1734280000000-ExpiredLotsIndexOnly";
import { CampaignTotals1734290000000 } from "./migrations/1734290000000-CampaignTotals";
import { CampaignBonusesPlannedByKey1734300000000 } from "./migrations/1734300000000-CampaignBonusesPlannedByKey";
import { CampaignFundersAndReferrers1734310000000 } from "./migrations/1734310000000-CampaignFundersAndReferrers";
import { ReferralGuards1734320000000 } from "./migrations/1734320000000-ReferralGuards";

/** The ledger database: written with explicit SQL (row locks, running balances), so no TypeORM entities; its migrations in order. */
export const entities = [];
export const migrations = [CreateLedger1732300000000, CreateHolds1732500000000, RedemptionRefunds1732600000000, LookupIndexes1732800000000, PendingDays1733000000000, RecordPurchases1733100000000, QualifyingIndexOnly1733200000000, RecordPurchasesCapped1733310000000, ScopedTransferKeys1733320000000, RecordPurchasesFromRules1733400000000, ReversalReasons1733410000000, CoalitionAndBonusKinds1733500000000, ClearingHouse1734000000000, Campaigns1734100000000, MemberErasures1734210000000, AuditEvents1734250000000, Adjustments1734250100000, EarnMonths1734250200000, CampaignBonusesAtOnce1734260000000, CampaignMatchesCoveredFirst1734270000000, ExpiredLotsIndexOnly1734280000000, CampaignTotals1734290000000, CampaignBonusesPlannedByKey1734300000000, CampaignFundersAndReferrers1734310000000, ReferralGuards1734320000000];
