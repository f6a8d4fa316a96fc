import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { TierLevel } from "../../../../shared/src/enums";
import type { Context } from "../context";
import { Member } from "../member/member.type";
import { partnerStub } from "../partner/partner.type";
import { ExpiringPoints, PartnerPoints, PointsBalance, TierProgress } from "./balance.types";
import { tierStanding } from "./tiers";

@Resolver(() => Member)
export class MemberBalanceResolver {
  @FieldResolver(() => PointsBalance, { description: "The member's points across all partners." })
  async balance(@Root() member: Member, @Ctx() { loaders }: Context): Promise<PointsBalance> {
    const standing = await loaders.standing.load(member.id);
    return Object.assign(new PointsBalance(), {
      memberId: member.id,
      available: standing.available,
      pending: standing.pending,
      held: standing.held,
      lifetimeEarned: standing.lifetimeEarned,
      lifetimeRedeemed: standing.lifetimeRedeemed,
    });
  }

  @FieldResolver(() => TierLevel, { description: "The member's tier, from qualifying points over the trailing 12 months." })
  async tier(@Root() member: Member, @Ctx() { loaders }: Context): Promise<TierLevel> {
    return tierStanding((await loaders.standing.load(member.id)).qualifying).current;
  }

  @FieldResolver(() => TierProgress, { description: "How far the member is from the next tier." })
  async tierProgress(@Root() member: Member, @Ctx() { loaders }: Context): Promise<TierProgress> {
    return Object.assign(new TierProgress(), tierStanding((await loaders.standing.load(member.id)).qualifying));
  }
}

@Resolver(() => PointsBalance)
export class PointsBalanceResolver {
  @FieldResolver(() => [PartnerPoints], { description: "One row per partner the member earned or redeemed at, most earned first." })
  async byPartner(@Root() balance: PointsBalance, @Ctx() { loaders }: Context): Promise<PartnerPoints[]> {
    return (await loaders.partnerPoints.load(balance.memberId)).map((row) =>
      Object.assign(new PartnerPoints(), { partner: partnerStub(row.partner_id), earned: Number(row.earned), redeemed: Number(row.redeemed) }),
    );
  }

  @FieldResolver(() => [ExpiringPoints], { description: "Points that expire within the next 90 days, soonest first, unless spent before." })
  async expiringSoon(@Root() balance: PointsBalance, @Ctx() { loaders }: Context): Promise<ExpiringPoints[]> {
    return (await loaders.expiringSoon.load(balance.memberId)).map((row) =>
      Object.assign(new ExpiringPoints(), { points: Number(row.points), expiresAt: row.expires_at }),
    );
  }
}
