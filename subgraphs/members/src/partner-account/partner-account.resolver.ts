import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import { requirePartner, requireSelf } from "../../../../shared/src/auth/policy";
import type { Context } from "../context";
import { Member } from "../member/member.type";
import { LinkPartnerAccountInput } from "./link-partner-account.input";
import { PartnerAccount } from "./partner-account.type";

@Resolver(() => Member)
export class PartnerAccountResolver {
  @FieldResolver(() => [PartnerAccount], { description: "The member's accounts at partner brands, oldest link first." })
  async partnerAccounts(@Root() member: Member, @Ctx() { identity, loaders }: Context): Promise<PartnerAccount[]> {
    requireSelf(identity, member.id);
    return (await loaders.partnerAccounts.load(member.id)).map(PartnerAccount.from);
  }

  @Mutation(() => PartnerAccount, {
    description: "Links a member to their account at a partner. Linking the same account again is harmless; a different account id for the same partner is a CONFLICT.",
  })
  async linkPartnerAccount(
    @Arg("input", () => LinkPartnerAccountInput) input: LinkPartnerAccountInput,
    @Ctx() { identity, partnerAccounts }: Context,
  ): Promise<PartnerAccount> {
    // The member themself, the partner the account is at, or an admin.
    if (identity.kind === "partner") requirePartner(identity, input.partnerId);
    else requireSelf(identity, input.memberId);
    return PartnerAccount.from(await partnerAccounts.link(input));
  }
}
