import { Arg, Ctx, Directive, ID, Query, Resolver } from "type-graphql";
import { ALLOWED, denyFor } from "../../../../shared/src/auth/policy";
import { requireId } from "../../../../shared/src/validation";
import type { Context } from "../context";

/** For the ledger's partner insights: who the partner's population is. Internal, service calls only. */
@Resolver()
export class LinkedMembersResolver {
  @Directive("@inaccessible")
  @Query(() => [ID], { description: "The ids of the members with an ACTIVE link to this partner now (for partner insights; services only)." })
  async activeLinkedMemberIds(@Arg("partnerId", () => ID, { description: "The partner." }) partnerId: string, @Ctx() { identity, partnerAccounts }: Context): Promise<string[]> {
    if (identity.kind !== "service") throw denyFor(identity, ALLOWED.services);
    return partnerAccounts.activeMemberIdsOf(requireId(partnerId, "partnerId"));
  }
}
