import { auditEventsResolver } from "../../../shared/src/audit/audit-resolver";
import { buildFederatedSchema } from "../../../shared/src/subgraph-schema";
import { CatalogMemberDataResolver } from "./member-data/member-data.resolver";
import { memberReference } from "./member/member.reference";
import { MemberResolver } from "./member/member.resolver";
import { Member } from "./member/member.type";
import { partnerReference } from "./partner/partner.reference";
import { PartnerResolver } from "./partner/partner.resolver";
import { Partner } from "./partner/partner.type";
import { redemptionReference } from "./redemption/redemption.reference";
import { RedemptionResolver } from "./redemption/redemption.resolver";
import { rewardReference } from "./reward/reward.reference";
import { RewardResolver } from "./reward/reward.resolver";

/** The catalog subgraph's whole surface. Member and Partner are stubs reached only through `_entities`. */
export const buildSchema = () =>
  buildFederatedSchema({
    resolvers: [auditEventsResolver("catalog"), RewardResolver, RedemptionResolver, PartnerResolver, MemberResolver, CatalogMemberDataResolver],
    orphanedTypes: [Member, Partner],
    referenceResolvers: { ...rewardReference, ...redemptionReference, ...partnerReference, ...memberReference },
  });
