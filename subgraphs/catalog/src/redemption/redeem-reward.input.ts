import { Field, ID, InputType } from "type-graphql";

@InputType({ description: "A member spending points on a reward." })
export class RedeemRewardInput {
  @Field(() => ID, { description: "The member redeeming (a UUID): the caller themself, unless an admin." })
  memberId!: string;

  @Field(() => ID, { description: "The reward to redeem (a UUID)." })
  rewardId!: string;

  @Field(() => String, {
    description:
      "1 to 200 characters, unique per redemption attempt of this member (keys belong to the member: another member's equal key is unrelated). " +
      "Retrying with the same key returns the first outcome instead of spending twice; the same key for another reward is IDEMPOTENCY_CONFLICT.",
  })
  idempotencyKey!: string;
}
