import { buildFederatedSchema } from "../../../shared/src/subgraph-schema";
import { memberReference } from "./member/member.reference";
import { MemberResolver } from "./member/member.resolver";
import { PartnerAccountResolver } from "./partner-account/partner-account.resolver";
import { ViewerResolver } from "./viewer/viewer.resolver";

/** The members subgraph's whole surface. */
export const buildSchema = () =>
  buildFederatedSchema({
    resolvers: [MemberResolver, PartnerAccountResolver, ViewerResolver],
    referenceResolvers: { ...memberReference },
  });
