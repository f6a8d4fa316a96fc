import { Field, ID, InputType, Int } from "type-graphql";

@InputType({ description: "Points one member gives another." })
export class TransferPointsInput {
  @Field(() => ID)
  fromMemberId!: string;

  @Field(() => ID)
  toMemberId!: string;

  @Field(() => Int, { description: "Points to move: at least 1, at most the sender's available points and what is left of their daily limit." })
  points!: number;

  @Field(() => String, { description: "One transfer per key: a retry returns the first entry." })
  idempotencyKey!: string;
}
