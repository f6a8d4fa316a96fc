import { Field, ObjectType } from "type-graphql";
import { Partner } from "../partner/partner.type";
import { SafeInt } from "../scalars";

@ObjectType({
  description:
    "A partner's points over a period, for settling accounts with the coalition: what it issued, what refunds took back, what members spent on its rewards, what expired, and what members still hold. The period includes `from` and excludes `to`. Totals across all its members, so `SafeInt` (up to 2^53 − 1), not `Int`.",
})
export class PartnerSettlement {
  @Field(() => Partner, { description: "The partner settled." })
  partner!: Partner;

  @Field(() => Date, { description: "Start of the period (included)." })
  from!: Date;

  @Field(() => Date, { description: "End of the period (excluded)." })
  to!: Date;

  @Field(() => SafeInt, { description: "Points the partner issued to members for purchases (tier bonuses included) in the period, before any refund." })
  pointsIssued!: number;

  @Field(() => SafeInt, { description: "Points taken back from members in the period because purchases at the partner were refunded." })
  pointsReversed!: number;

  @Field(() => SafeInt, { description: "Points members spent on the partner's rewards in the period." })
  pointsRedeemed!: number;

  @Field(() => SafeInt, { description: "Points the partner issued that expired unused in the period, or that a member's erasure forfeited (both go to its breakage), less those refunds later took back off its breakage (counted in the period they expired: never negative)." })
  pointsExpired!: number;

  @Field(() => SafeInt, {
    description:
      "Points the partner issued that members still hold right now and that have not expired (including points still inside a return window, and points members transferred to each other). Not limited to the period.",
  })
  outstandingLiability!: number;
}
