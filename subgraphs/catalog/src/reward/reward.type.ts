import { Directive, Field, ID, Int, ObjectType } from "type-graphql";
import { TierLevel } from "../../../../shared/src/enums";
import type { RewardRecord } from "./reward.entity";

@Directive(`@key(fields: "id")`)
@ObjectType({ description: "Something a member can spend points on, offered by one partner brand. Public: anyone may read the catalog, signed in or not." })
export class Reward {
  @Field(() => ID, { description: "The reward's unique id (a UUID)." })
  id!: string;

  @Field(() => String, { description: "Short name shown to members, e.g. `Free coffee`." })
  title!: string;

  @Field(() => String, { description: "What the member gets and any conditions; may be empty." })
  description!: string;

  /** Resolved as a Partner stub by `RewardResolver.partner`; not a field itself. */
  partnerId!: string;

  @Field(() => Int, { description: "Points one redemption costs (points, not money)." })
  costPoints!: number;

  @Field(() => TierLevel, { description: "Lowest tier allowed to redeem it; BASE means every member." })
  minimumTier!: TierLevel;

  @Field(() => Int, { nullable: true, description: "Vouchers left; null means unlimited. Each redemption takes one; a cancelled redemption gives it back." })
  stock!: number | null;

  @Field(() => Int, { nullable: true, description: "How many times one member may redeem it (cancelled and failed redemptions do not count); null means no limit." })
  maxPerMember!: number | null;

  @Field(() => Date, { nullable: true, description: "Redeemable from this instant on; null means since always." })
  validFrom!: Date | null;

  @Field(() => Date, { nullable: true, description: "Redeemable up to this instant; null means no end." })
  validUntil!: Date | null;

  @Field(() => Boolean, { description: "Whether the partner currently offers it; inactive rewards cannot be redeemed." })
  active!: boolean;

  static from(record: RewardRecord): Reward {
    return Object.assign(new Reward(), record);
  }
}
