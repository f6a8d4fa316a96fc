import { auditEventsResolver } from "../../../shared/src/audit/audit-resolver";
import { buildFederatedSchema } from "../../../shared/src/subgraph-schema";
import { ApiKeyResolver } from "./api-key/api-key.resolver";
import { partnerReference } from "./partner/partner.reference";
import { PartnerResolver } from "./partner/partner.resolver";

/** The partners subgraph's whole surface. */
export const buildSchema = () =>
  buildFederatedSchema({
    resolvers: [auditEventsResolver("partners"), PartnerResolver, ApiKeyResolver],
    referenceResolvers: { ...partnerReference },
  });
