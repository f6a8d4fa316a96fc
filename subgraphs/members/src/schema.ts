import { auditEventsResolver } from "../../../shared/src/audit/audit-resolver";
import { buildFederatedSchema } from "../../../shared/src/subgraph-schema";
import { memberReference } from "./member/member.reference";
import { MemberResolver } from "./member/member.resolver";
import { LinkedMembersResolver } from "./partner-account/linked-members.resolver";
import { MemberDataResolver } from "./member-data/member-data.resolver";
import { PartnerAccountResolver } from "./partner-account/partner-account.resolver";
import { ViewerResolver } from "./viewer/viewer.resolver";

/** The members subgraph's whole surface. */
export const buildSchema = () =>
  buildFederatedSchema({
    resolvers: [auditEventsResolver("members"), MemberResolver, PartnerAccountResolver, LinkedMembersResolver, ViewerResolver, MemberDataResolver],
    referenceResolvers: { ...memberReference },
  });
