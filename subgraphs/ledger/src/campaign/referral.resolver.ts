import { Arg, Ctx, Directive, ID, Mutation, Resolver } from "type-graphql";
import { requireAdmin } from "../../../../shared/src/auth/policy";
import type { Context } from "../context";

/**
 * The members service registers who referred a member it is enrolling (before it writes the member),
 * so that the referred member's first purchase can reward both in the purchase's own transaction.
 * Service-to-service only: @inaccessible keeps it out of the public API.
 */
@Resolver()
export class ReferralResolver {
  @Directive("@inaccessible")
  @Mutation(() => Boolean, {
    description:
      "Records that `referrerMemberId` referred `referredMemberId` (with today's REFERRAL_BONUS_POINTS and REFERRAL_MAX_PER_MEMBER). " +
      "True when recorded now or before; false when the referred member has purchases already (a referral is for new members only).",
  })
  async registerReferral(
    @Arg("referrerMemberId", () => ID, { description: "The member whose referral code was given." }) referrerMemberId: string,
    @Arg("referredMemberId", () => ID, { description: "The member being enrolled." }) referredMemberId: string,
    @Ctx() { identity, referrals }: Context,
  ): Promise<boolean> {
    requireAdmin(identity);
    return referrals.register(referrerMemberId, referredMemberId);
  }
}
