import { Arg, Ctx, Directive, FieldResolver, ID, Mutation, Resolver, Root } from "type-graphql";
import { requireAdmin, requireSelf } from "../../../../shared/src/auth/policy";
import { JSONScalar, type MemberDataPart, exportMemberData, memberDataDocs } from "../../../../shared/src/member-data/member-data-export";
import type { Context } from "../context";
import { Member } from "../member/member.type";
import { eraseMemberText } from "./erasure.service";
import { CATALOG_MEMBER_DATA_TABLES } from "./member-data.tables";

@Resolver(() => Member)
export class CatalogMemberDataResolver {
  // Read by the gateway for the members service's Member.dataExport (`@requires`); hidden from the public API.
  @Directive("@inaccessible")
  @FieldResolver(() => JSONScalar, { nullable: true, description: memberDataDocs.catalogPart })
  catalogDataExport(@Root() member: Member, @Ctx() { identity, dataSource }: Context): Promise<MemberDataPart> {
    requireSelf(identity, member.id);
    return exportMemberData(dataSource.manager, "catalog", CATALOG_MEMBER_DATA_TABLES, member.id);
  }

  @Directive("@inaccessible")
  @Mutation(() => Boolean, {
    description: "Internal (the members service's erasure saga): records the member's erasure in the catalog and replaces the text callers chose on their redemptions and audit lines (redemption keys, request ids) by its digest; running it again changes nothing.",
  })
  async eraseMemberText(@Arg("memberId", () => ID, { description: "The erased member." }) memberId: string, @Ctx() { identity, dataSource }: Context): Promise<boolean> {
    requireAdmin(identity);
    await eraseMemberText(dataSource, memberId);
    return true;
  }
}
