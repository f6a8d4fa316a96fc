import { Directive, Field, ID, InputType, Int } from "type-graphql";

/** Service-to-service only (the catalog's redemptions): hidden from the public API by @inaccessible. */
@Directive("@inaccessible")
@InputType({ description: "Points to take from a member for a redemption at a partner." })
export class DebitPointsInput {
  @Field(() => ID)
  memberId!: string;

  @Field(() => ID, { description: "The partner whose reward is redeemed." })
  partnerId!: string;

  @Field(() => Int)
  points!: number;

  @Field(() => String, { description: "One debit per key: a retry returns the first entry." })
  idempotencyKey!: string;

  @Field(() => String, { nullable: true })
  reference?: string | null;
}
