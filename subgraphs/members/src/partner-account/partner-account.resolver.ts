import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import { requirePartner, requireSelf } from "../../../../shared/src/auth/policy";
import { withExample } from "../../../../shared/src/schema-docs";
import type { Context } from "../context";
import { Member } from "../member/member.type";
import { LinkPartnerAccountInput } from "./link-partner-account.input";
import { PartnerAccount } from "./partner-account.type";

@Resolver(() => Member)
export class PartnerAccountResolver {
  @FieldResolver(() => [PartnerAccount], { description: "The member's accounts at partner brands, oldest link first. Only the member and admins see them." })
  async partnerAccounts(@Root() member: Member, @Ctx() { identity, loaders }: Context): Promise<PartnerAccount[]> {
    requireSelf(identity, member.id);
    return (await loaders.partnerAccounts.load(member.id)).map(PartnerAccount.from);
  }

  @Mutation(() => PartnerAccount, {
    description: withExample(
      "Links a member to their account at a partner, which lets that partner's apps see the member's name, tier and available points. " +
        "Callers: the member themself, the partner's own apps, admins. Linking the same account again is harmless; a different account id " +
        "for the same partner, or an account id already linked to another member, is a CONFLICT. Errors: BAD_USER_INPUT, NOT_FOUND (member or partner), CONFLICT.",
      `mutation {
  linkPartnerAccount(input: { memberId: "5b0e5c2e-8f0a-4d36-9a57-2f1c8a9d4e10", partnerId: "0c7d3f9a-2b41-4e8c-8d6a-5e3b1f2a9c77", externalId: "SKY-88231" }) {
    partner { name }
    externalId
    linkedAt
  }
}`,
    ),
  })
  async linkPartnerAccount(
    @Arg("input", () => LinkPartnerAccountInput, { description: "The member, the partner and the member's account id there." }) input: LinkPartnerAccountInput,
    @Ctx() { identity, partnerAccounts }: Context,
  ): Promise<PartnerAccount> {
    // The member themself, the partner the account is at, or an admin.
    if (identity.kind === "partner") requirePartner(identity, input.partnerId);
    else requireSelf(identity, input.memberId);
    return PartnerAccount.from(await partnerAccounts.link(input));
  }
}
