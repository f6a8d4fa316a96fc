import { buildFederatedSchema } from "../../../shared/src/subgraph-schema";
import { memberReference } from "./member/member.reference";
import { MemberResolver } from "./member/member.resolver";
import { MemberDataResolver } from "./member-data/member-data.resolver";
import { PartnerAccountResolver } from "./partner-account/partner-account.resolver";

/** The members subgraph's whole surface. */
export const buildSchema = () =>
  buildFederatedSchema({
    resolvers: [MemberResolver, PartnerAccountResolver, MemberDataResolver],
    referenceResolvers: { ...memberReference },
  });
