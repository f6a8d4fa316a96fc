import { Field, ID, InputType, Int } from "type-graphql";

@InputType({ description: "Points one member gives another." })
export class TransferPointsInput {
  @Field(() => ID, { description: "The member giving points: the caller themself, unless an admin." })
  fromMemberId!: string;

  @Field(() => ID, { description: "The member receiving them; not the sender." })
  toMemberId!: string;

  @Field(() => Int, { description: "Points to move: at least 1, at most the sender's available points and what is left of their daily limit." })
  points!: number;

  @Field(() => String, { description: "1 to 200 characters, unique per transfer among the sender's own transfers (other members' keys never clash with it): a retry with the same key returns the first entry; the same key with different details is an IDEMPOTENCY_CONFLICT." })
  idempotencyKey!: string;
}
