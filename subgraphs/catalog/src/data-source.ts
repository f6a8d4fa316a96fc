import { CreateCatalog1732400000000 } from "./migrations/1732400000000-CreateCatalog";
import { RedemptionLimits1732600000000 } from "./migrations/1732600000000-RedemptionLimits";
import { RedemptionKeysPerMember1733200000000 } from "./migrations/1733200000000-RedemptionKeysPerMember";
import { TierOrderFromCode1733400000000 } from "./migrations/1733400000000-TierOrderFromCode";
import { RedemptionRetries1734400000000 } from "./migrations/1734400000000-RedemptionRetries";
import { AuditEvents1734250000000 } from "./migrations/1734250000000-AuditEvents";
import { TimeOrderedIds1734600000000 } from "./migrations/1734600000000-TimeOrderedIds";
import { CancellationRequester1734900000000 } from "./migrations/1734900000000-CancellationRequester";
import { RewardCreationKeys1734910000000 } from "./migrations/1734910000000-RewardCreationKeys";
import { SettledRedemptionsNameNoFailure1734930000000 } from "./migrations/1734930000000-SettledRedemptionsNameNoFailure";
import { CallerTextErased1734960000002 } from "./migrations/1734960000002-CallerTextErased";
import { AuditLinesAfterErasure1734960000005 } from "./migrations/1734960000005-AuditLinesAfterErasure";
import { RedemptionRecord } from "./redemption/redemption.entity";
import { RewardRecord } from "./reward/reward.entity";

/** The catalog database: its TypeORM entities and, in order, its migrations. */
export const entities = [RewardRecord, RedemptionRecord];
export const migrations = [CreateCatalog1732400000000, RedemptionLimits1732600000000, RedemptionKeysPerMember1733200000000, TierOrderFromCode1733400000000, AuditEvents1734250000000, RedemptionRetries1734400000000, TimeOrderedIds1734600000000, CancellationRequester1734900000000, RewardCreationKeys1734910000000, SettledRedemptionsNameNoFailure1734930000000, CallerTextErased1734960000002, AuditLinesAfterErasure1734960000005];
