import { Arg, Ctx, Directive, ID, Query, Resolver } from "type-graphql";
import { ALLOWED, denyFor } from "../../../../shared/src/auth/policy";
import { requireId } from "../../../../shared/src/validation";
import type { Context } from "../context";

/** For the ledger's partner insights: who each partner's population is. Internal, service calls only. */
@Resolver()
export class LinkedMembersResolver {
  @Directive("@inaccessible")
  @Query(() => [[ID]], {
    description: "For each partner asked, in the order asked, the ids of the members with an ACTIVE link to it now (for partner insights: a partner list's in one call; services only).",
  })
  async activeLinkedMemberIds(@Arg("partnerIds", () => [ID], { description: "The partners." }) partnerIds: string[], @Ctx() { identity, partnerAccounts }: Context): Promise<string[][]> {
    if (identity.kind !== "service") throw denyFor(identity, ALLOWED.services);
    return partnerAccounts.activeMemberIdsOf(partnerIds.map((id) => requireId(id, "partnerIds")));
  }
}
