import { Arg, Ctx, Directive, FieldResolver, ID, Mutation, Resolver, Root } from "type-graphql";
import { requireAdmin, requireSelf } from "../../../../shared/src/auth/policy";
import { JSONScalar, type MemberDataPart, exportMemberData, memberDataDocs } from "../../../../shared/src/member-data/member-data-export";
import type { Context } from "../context";
import { Member } from "../member/member.type";
import { LEDGER_MEMBER_DATA_TABLES } from "./member-data.tables";

@Resolver(() => Member)
export class LedgerMemberDataResolver {
  // Read by the gateway for the members service's Member.dataExport (`@requires`); hidden from the public API.
  @Directive("@inaccessible")
  @FieldResolver(() => JSONScalar, { nullable: true, description: memberDataDocs.ledgerPart })
  ledgerDataExport(@Root() member: Member, @Ctx() { identity, dataSource }: Context): Promise<MemberDataPart> {
    requireSelf(identity, member.id);
    return exportMemberData(dataSource.manager, "ledger", LEDGER_MEMBER_DATA_TABLES, member.id);
  }

  @Directive("@inaccessible")
  @Mutation(() => Boolean, {
    description: "Internal (the members service's erasure saga): forfeits an erased member's points (ADJUSTMENT, reason ERASURE) and refuses new ones, and withdraws what their referrer's referral bonus still holds while pending (ADJUSTMENT, reason CORRECTION); once per member.",
  })
  async forfeitErasedMember(@Arg("memberId", () => ID, { description: "The erased member." }) memberId: string, @Ctx() { identity, erasures }: Context): Promise<boolean> {
    requireAdmin(identity);
    await erasures.forfeit(memberId);
    return true;
  }
}
