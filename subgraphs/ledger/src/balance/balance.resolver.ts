import { Ctx, FieldResolver, Int, Resolver, Root } from "type-graphql";
import { ALLOWED, forbidden, requireSelf, requireSelfOrLinkedPartner } from "../../../../shared/src/auth/policy";
import { TierLevel } from "../../../../shared/src/enums";
import { docs } from "../../../../shared/src/schema-docs";
import type { Context } from "../context";
import { Member } from "../member/member.type";
import { partnerStub } from "../partner/partner.type";
import { ExpiringPoints, PartnerPoints, PointsBalance, TierProgress } from "./balance.types";
import { EXPIRING_SOON_DAYS, tierStanding } from "../rules";

/**
 * The ledger's fields of a Member are nullable on purpose: with the ledger down, the gateway's call for
 * them fails and each is null with its UPSTREAM_UNAVAILABLE error, while the members service's fields
 * (a profile) still read. Non-null, one failed field would null the whole member.
 */
export const LEDGER_DOWN = " Null, with an `UPSTREAM_UNAVAILABLE` error, when the ledger cannot answer: the member's other fields still read.";

@Resolver(() => Member)
export class MemberBalanceResolver {
  @FieldResolver(() => PointsBalance, { nullable: true, description: docs.memberBalance + LEDGER_DOWN })
  async balance(@Root() member: Member, @Ctx() { identity, loaders }: Context): Promise<PointsBalance> {
    await requireSelfOrLinkedPartner(identity, member.id, () => loaders.linkedPartners.load(member.id));
    const standing = await loaders.standing.load(member.id);
    return Object.assign(new PointsBalance(), {
      memberId: member.id,
      restricted: identity.kind === "partner",
      available: standing.available,
      pending: standing.pending,
      held: standing.held,
      lifetimeEarned: standing.lifetimeEarned,
      lifetimeRedeemed: standing.lifetimeRedeemed,
    });
  }

  @FieldResolver(() => TierLevel, { nullable: true, description: docs.memberTier + LEDGER_DOWN })
  async tier(@Root() member: Member, @Ctx() { identity, loaders }: Context): Promise<TierLevel> {
    await requireSelfOrLinkedPartner(identity, member.id, () => loaders.linkedPartners.load(member.id));
    return tierStanding((await loaders.standing.load(member.id)).qualifying).current as TierLevel;
  }

  @FieldResolver(() => TierProgress, { nullable: true, description: "How far the member is from the next tier. Only the member and admins see it (null and FORBIDDEN for anyone else)." + LEDGER_DOWN })
  async tierProgress(@Root() member: Member, @Ctx() { identity, loaders }: Context): Promise<TierProgress> {
    requireSelf(identity, member.id);
    return Object.assign(new TierProgress(), tierStanding((await loaders.standing.load(member.id)).qualifying));
  }
}

/**
 * A partner app sees a linked member's `available` points, nothing else of the balance: the other
 * fields are nullable, so one it may not read is null with FORBIDDEN, and the rest of its answer stays.
 */
function ownerOnly(balance: PointsBalance): void {
  if (balance.restricted) throw forbidden(ALLOWED.self);
}

@Resolver(() => PointsBalance)
export class PointsBalanceResolver {
  @FieldResolver(() => Int, { nullable: true, description: "Points earned but still inside a partner's return window: not spendable yet, not counted toward tier." })
  pending(@Root() balance: PointsBalance): number {
    ownerOnly(balance);
    return balance.pending;
  }

  @FieldResolver(() => Int, { nullable: true, description: "Points reserved by redemptions in progress: not available; spent when the redemption completes, back when it fails." })
  held(@Root() balance: PointsBalance): number {
    ownerOnly(balance);
    return balance.held;
  }

  @FieldResolver(() => Int, { nullable: true, description: "All points ever earned for purchases at partners (tier bonuses included), less refunds. Not included: campaign and referral bonuses (`BONUS` entries), adjustments, and points received by transfer." })
  lifetimeEarned(@Root() balance: PointsBalance): number {
    ownerOnly(balance);
    return balance.lifetimeEarned;
  }

  @FieldResolver(() => Int, { nullable: true, description: "All points ever spent on rewards, less cancelled redemptions." })
  lifetimeRedeemed(@Root() balance: PointsBalance): number {
    ownerOnly(balance);
    return balance.lifetimeRedeemed;
  }

  @FieldResolver(() => [PartnerPoints], { nullable: true, description: "One row per partner the member earned or redeemed at, most earned first." })
  async byPartner(@Root() balance: PointsBalance, @Ctx() { loaders }: Context): Promise<PartnerPoints[]> {
    ownerOnly(balance);
    return (await loaders.partnerPoints.load(balance.memberId)).map((row) =>
      Object.assign(new PartnerPoints(), { partner: partnerStub(row.partner_id), earned: Number(row.earned), redeemed: Number(row.redeemed) }),
    );
  }

  @FieldResolver(() => [ExpiringPoints], { nullable: true, description: `Points that expire within the next ${EXPIRING_SOON_DAYS} days, soonest first, unless spent before.` })
  async expiringSoon(@Root() balance: PointsBalance, @Ctx() { loaders }: Context): Promise<ExpiringPoints[]> {
    ownerOnly(balance);
    return (await loaders.expiringSoon.load(balance.memberId)).map((row) =>
      Object.assign(new ExpiringPoints(), { points: Number(row.points), expiresAt: row.expires_at }),
    );
  }
}
