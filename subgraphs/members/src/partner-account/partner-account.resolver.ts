import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import type { Context } from "../context";
import { Member } from "../member/member.type";
import { LinkPartnerAccountInput } from "./link-partner-account.input";
import { PartnerAccount } from "./partner-account.type";

@Resolver(() => Member)
export class PartnerAccountResolver {
  @FieldResolver(() => [PartnerAccount], { description: "The member's accounts at partner brands, oldest link first." })
  async partnerAccounts(@Root() member: Member, @Ctx() { loaders }: Context): Promise<PartnerAccount[]> {
    return (await loaders.partnerAccounts.load(member.id)).map(PartnerAccount.from);
  }

  @Mutation(() => PartnerAccount, {
    description: "Links a member to their account at a partner. Linking the same account again is harmless; a different account id for the same partner is a CONFLICT.",
  })
  async linkPartnerAccount(
    @Arg("input", () => LinkPartnerAccountInput) input: LinkPartnerAccountInput,
    @Ctx() { partnerAccounts }: Context,
  ): Promise<PartnerAccount> {
    return PartnerAccount.from(await partnerAccounts.link(input));
  }
}
