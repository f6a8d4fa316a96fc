import { MemberRecord } from "./member/member.entity";
import { CreateMembers1732300000000 } from "./migrations/1732300000000-CreateMembers";
import { PartnerLinkConsent1733300000000 } from "./migrations/1733300000000-PartnerLinkConsent";
import { ReferralCodes1734100000001 } from "./migrations/1734100000001-ReferralCodes";
import { MemberDataRights1734200000000 } from "./migrations/1734200000000-MemberDataRights";
import { AuditEvents1734250000000 } from "./migrations/1734250000000-AuditEvents";
import { ErasureFeed1734400000000 } from "./migrations/1734400000000-ErasureFeed";
import { ConfirmedAccountIds1734500000000 } from "./migrations/1734500000000-ConfirmedAccountIds";
import { TimeOrderedIds1734600000000 } from "./migrations/1734600000000-TimeOrderedIds";
import { EmailsComposed1734700000000 } from "./migrations/1734700000000-EmailsComposed";
import { HistoryByAccountId1734930000000 } from "./migrations/1734930000000-HistoryByAccountId";
import { CallerTextErased1734960000001 } from "./migrations/1734960000001-CallerTextErased";
import { ErasuresCatalogStep1734960000003 } from "./migrations/1734960000003-ErasuresCatalogStep";
import { AuditLinesAfterErasure1734960000006 } from "./migrations/1734960000006-AuditLinesAfterErasure";
import { PartnerAccountRecord } from "./partner-account/partner-account.entity";

/** The members database: its TypeORM entities and, in order, its migrations. */
export const entities = [MemberRecord, PartnerAccountRecord];
export const migrations = [CreateMembers1732300000000, PartnerLinkConsent1733300000000, ReferralCodes1734100000001, MemberDataRights1734200000000, AuditEvents1734250000000, ErasureFeed1734400000000, ConfirmedAccountIds1734500000000, TimeOrderedIds1734600000000, EmailsComposed1734700000000, HistoryByAccountId1734930000000, CallerTextErased1734960000001, ErasuresCatalogStep1734960000003, AuditLinesAfterErasure1734960000006];
