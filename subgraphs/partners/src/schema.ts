import { auditEventsResolver } from "../../../shared/src/audit/audit-resolver";
import { buildFederatedSchema } from "../../../shared/src/subgraph-schema";
import { ApiKeyResolver } from "./api-key/api-key.resolver";
import { PartnersMemberDataResolver } from "./member-data/member-data.resolver";
import { Member } from "./member-data/member.type";
import { partnerReference } from "./partner/partner.reference";
import { PartnerResolver } from "./partner/partner.resolver";

/** The partners subgraph's whole surface. Member is a stub reached only through `_entities` (its part of the data export). */
export const buildSchema = () =>
  buildFederatedSchema({
    resolvers: [auditEventsResolver("partners"), PartnerResolver, ApiKeyResolver, PartnersMemberDataResolver],
    orphanedTypes: [Member],
    referenceResolvers: { ...partnerReference },
  });
