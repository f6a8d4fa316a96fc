import { Arg, Ctx, Directive, ID, Mutation, Resolver } from "type-graphql";
import { requireAdmin } from "../../../../shared/src/auth/policy";
import { badInput } from "../../../../shared/src/errors";
import { requireId } from "../../../../shared/src/validation";
import type { DataSource } from "typeorm";
import type { Context } from "../context";
import { referralBonusPoints, referralMaxPerMember } from "../settings";


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

export class ReferralService {
  constructor(private readonly dataSource: DataSource) {}

  async register(referrerMemberId: string, referredMemberId: string): Promise<boolean> {
    const dataSource = this.dataSource;
    const referrer = requireId(referrerMemberId, "referrerMemberId");
    const referred = requireId(referredMemberId, "referredMemberId");
    if (referrer === referred) throw badInput("A member cannot refer themself", "referralCode");
    const rows: unknown[] = await dataSource.query(
      `INSERT INTO referrals (referred_member_id, referrer_member_id, bonus_points, referrer_max)
       SELECT $1, $2, $3, $4 WHERE NOT EXISTS (SELECT FROM purchases WHERE member_id = $1)
       ON CONFLICT (referred_member_id) DO NOTHING RETURNING 1`,
      [referred, referrer, referralBonusPoints(), referralMaxPerMember()],
    );
    if (rows.length) return true;
    const [existing] = await dataSource.query(`SELECT referrer_member_id FROM referrals WHERE referred_member_id = $1`, [referred]);
    return existing?.referrer_member_id === referrer;
  }
}
