import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from "type-graphql";
import { ALLOWED, denyFor, isAdmin, requirePartner, requireSelf, requireSignedIn } from "../../../../shared/src/auth/policy";
import { badInput } from "../../../../shared/src/errors";
import { withExample } from "../../../../shared/src/schema-docs";
import { requireId } from "../../../../shared/src/validation";
import type { Context } from "../context";
import { Member } from "../member/member.type";
import { LinkPartnerAccountInput } from "./link-partner-account.input";
import { PartnerAccount } from "./partner-account.type";
import { PartnerAccountStatus } from "./partner-account-status";

const PARTNER_ID = "The partner brand of the link (a UUID); anything else is BAD_USER_INPUT.";

@Resolver(() => Member)
export class PartnerAccountResolver {
  @FieldResolver(() => [PartnerAccount], {
    nullable: true,
    description:
      "The member's accounts at partner brands, oldest link first, pending ones included (so the member can approve them). Only the member and admins see them (null and FORBIDDEN for anyone else).",
  })
  async partnerAccounts(@Root() member: Member, @Ctx() { identity, loaders }: Context): Promise<PartnerAccount[]> {
    requireSelf(identity, member.id);
    return (await loaders.partnerAccounts.load(member.id)).map(PartnerAccount.from);
  }

  @Mutation(() => PartnerAccount, {
    description: withExample(
      "Links a member to their account at a partner. Callers: the member themself and admins (the link is ACTIVE at once), and the partner's own apps " +
        "(the link is PENDING until the member approves it with approvePartnerLink; until then the app sees nothing of the member, only this link's own fields). " +
        "An ACTIVE link lets that partner's apps see the member's name, tier and available points. Linking the same account again is harmless " +
        "(the member or an admin repeating a pending link makes it ACTIVE); a different account id for the same partner, or an account id already " +
        "linked to another member, is a CONFLICT. Errors: BAD_USER_INPUT, NOT_FOUND (member or partner), CONFLICT.",
      `mutation {
  linkPartnerAccount(input: { memberId: "5b0e5c2e-8f0a-4d36-9a57-2f1c8a9d4e10", partnerId: "0c7d3f9a-2b41-4e8c-8d6a-5e3b1f2a9c77", externalId: "SKY-88231" }) {
    partner { name }
    externalId
    linkedAt
    status
  }
}`,
    ),
  })
  async linkPartnerAccount(
    @Arg("input", () => LinkPartnerAccountInput, { description: "The member, the partner and the member's account id there." }) input: LinkPartnerAccountInput,
    @Ctx() { identity, partnerAccounts, requestId }: Context,
  ): Promise<PartnerAccount> {
    // The member themself, the partner the account is at (which needs the member's consent), or an admin.
    if (identity.kind === "partner") requirePartner(identity, input.partnerId);
    else requireSelf(identity, input.memberId);
    const status = identity.kind === "partner" ? PartnerAccountStatus.PENDING : PartnerAccountStatus.ACTIVE;
    // Only the member's own word is unverified: the partner's app knows its account ids, an admin checked them.
    return PartnerAccount.from(await partnerAccounts.link(input, { status, confirmed: identity.kind !== "member" }, { identity, requestId }));
  }

  @Mutation(() => PartnerAccount, {
    description: withExample(
      "The member agrees to a link a partner's app made: their link with this partner becomes ACTIVE, and that partner's apps see their name, tier " +
        "and available points. Approving an ACTIVE link changes nothing. Callers: the member, with their own token (nobody can approve for them). " +
        "Errors: NOT_FOUND (the member has no link with this partner), FORBIDDEN (not a member's token).",
      `mutation {
  approvePartnerLink(partnerId: "0c7d3f9a-2b41-4e8c-8d6a-5e3b1f2a9c77") {
    partner { name }
    externalId
    status
  }
}`,
    ),
  })
  async approvePartnerLink(@Arg("partnerId", () => ID, { description: PARTNER_ID }) partnerId: string, @Ctx() { identity, partnerAccounts }: Context): Promise<PartnerAccount> {
    requireSignedIn(identity);
    // Consent is the member's alone: partner apps, admins and services cannot give it.
    if (identity.kind !== "member") throw denyFor(identity, ALLOWED.members);
    return PartnerAccount.from(await partnerAccounts.approve(identity.memberId, requireId(partnerId, "partnerId")));
  }

  @Mutation(() => Boolean, {
    description: withExample(
      "Ends a member's link with a partner, pending or active: the partner's apps lose every view of the member at once. The account can be linked again later " +
        "(a partner's app starts a new PENDING link). Callers: the member (for themself; `memberId` may be left out) and admins (who must give `memberId`). " +
        "Answers true when a link was ended, false when there was none. Errors: BAD_USER_INPUT, FORBIDDEN.",
      `mutation {
  unlinkPartnerAccount(partnerId: "0c7d3f9a-2b41-4e8c-8d6a-5e3b1f2a9c77")
}`,
    ),
  })
  async unlinkPartnerAccount(
    @Arg("partnerId", () => ID, { description: PARTNER_ID }) partnerId: string,
    @Arg("memberId", () => ID, { nullable: true, description: "The member whose link ends (a UUID). Members may leave it out (it is then themself); admins must give it." })
    memberId: string | null | undefined,
    @Ctx() { identity, partnerAccounts, requestId }: Context,
  ): Promise<boolean> {
    requireSignedIn(identity);
    if (identity.kind === "partner") throw denyFor(identity, ALLOWED.self);
    const target = memberId ?? (identity.kind === "member" ? identity.memberId : null);
    if (!target && isAdmin(identity)) throw badInput("memberId is required for an admin", "memberId");
    const member = requireId(target ?? "", "memberId");
    requireSelf(identity, member);
    return partnerAccounts.unlink(member, requireId(partnerId, "partnerId"), { identity, requestId });
  }
}
