import { CreatePartners1732300000000 } from "./migrations/1732300000000-CreatePartners";
import { CreatePartnerApiKeys1732700000000 } from "./migrations/1732700000000-CreatePartnerApiKeys";
import { AuditEvents1734250000000 } from "./migrations/1734250000000-AuditEvents";
import { TimeOrderedIds1734600000000 } from "./migrations/1734600000000-TimeOrderedIds";
import { PartnerRecord } from "./partner/partner.entity";

/** The partners database: its TypeORM entities and, in order, its migrations. */
export const entities = [PartnerRecord];
export const migrations = [CreatePartners1732300000000, CreatePartnerApiKeys1732700000000, AuditEvents1734250000000, TimeOrderedIds1734600000000];
