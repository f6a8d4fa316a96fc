import { Field, ID, InputType, Int } from "type-graphql";
import { TierLevel } from "../../../../shared/src/enums";
import { MAX_COST_POINTS, MAX_PER_MEMBER_LIMIT, MAX_STOCK } from "../rules/reward-limits";

const n = (value: number) => value.toLocaleString("en-US");

@InputType({ description: "A new reward a partner offers to members." })
export class CreateRewardInput {
  @Field(() => ID, { description: "The partner offering it; must exist." })
  partnerId!: string;

  @Field(() => String, { description: "Short name shown to members, 1 to 120 characters." })
  title!: string;

  @Field(() => String, {
    nullable: true,
    description:
      "Your key for this creation (1 to 200 characters), recommended: a retry with the same key and input (after UPSTREAM_UNAVAILABLE, say) answers the reward " +
      "it created instead of creating a second one with stock of its own; the same key with other input is IDEMPOTENCY_CONFLICT. Keys are per caller.",
  })
  idempotencyKey?: string | null;

  @Field(() => String, { defaultValue: "", description: "What the member gets and any conditions, at most 2000 characters (default empty)." })
  description!: string;

  @Field(() => Int, { description: `Points it costs: a whole number from 1 to ${n(MAX_COST_POINTS)}.` })
  costPoints!: number;

  @Field(() => TierLevel, { defaultValue: TierLevel.BASE, description: "Lowest tier allowed to redeem it (default BASE: every member)." })
  minimumTier!: TierLevel;

  @Field(() => Int, { nullable: true, description: `Vouchers available, 0 to ${n(MAX_STOCK)}; null or omitted means unlimited.` })
  stock?: number | null;

  @Field(() => Int, { nullable: true, description: `How many times one member may redeem it (1 to ${n(MAX_PER_MEMBER_LIMIT)}); null or omitted means no limit.` })
  maxPerMember?: number | null;

  @Field(() => Date, { nullable: true, description: "First instant it can be redeemed; null or omitted means right away." })
  validFrom?: Date | null;

  @Field(() => Date, { nullable: true, description: "Last instant it can be redeemed; must be after validFrom. Null or omitted means no end." })
  validUntil?: Date | null;

  @Field(() => Boolean, { defaultValue: true, description: "Whether members can redeem it now (default true)." })
  active!: boolean;
}
