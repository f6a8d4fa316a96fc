import { Ctx, Directive, FieldResolver, Resolver, Root } from "type-graphql";
import { requireSelf } from "../../../../shared/src/auth/policy";
import { JSONScalar, type MemberDataPart, exportMemberData, memberDataDocs } from "../../../../shared/src/member-data/member-data-export";
import type { Context } from "../context";
import { Member } from "./member.type";
import { PARTNERS_MEMBER_DATA_TABLES } from "./member-data.tables";

@Resolver(() => Member)
export class PartnersMemberDataResolver {
  // Read by the gateway for the members service's Member.dataExport (`@requires`); hidden from the public API.
  @Directive("@inaccessible")
  @FieldResolver(() => JSONScalar, { nullable: true, description: memberDataDocs.partnersPart })
  partnersDataExport(@Root() member: Member, @Ctx() { identity, dataSource }: Context): Promise<MemberDataPart> {
    requireSelf(identity, member.id);
    return exportMemberData(dataSource.manager, "partners", PARTNERS_MEMBER_DATA_TABLES, member.id);
  }
}
