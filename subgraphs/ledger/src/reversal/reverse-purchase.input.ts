import { Field, ID, InputType, Int } from "type-graphql";

@InputType({ description: "A full or partial refund of a recorded purchase: its points are clawed back in proportion." })
export class ReversePurchaseInput {
  @Field(() => ID, { description: "The partner the purchase was recorded at: the calling app's own partner (admins: any)." })
  partnerId!: string;

  @Field(() => String, { description: "The receipt id the purchase was recorded with." })
  reference!: string;

  @Field(() => Int, { description: "Amount refunded, in minor units of the purchase's currency (cents); all refunds of a purchase together may not exceed its amount." })
  amountMinor!: number;

  @Field(() => String, {
    nullable: true,
    description:
      "The partner's refund id: a retry with the same one returns the first reversal. Without it the refund is identified by its amount, so two partial refunds of the same amount need refund ids.",
  })
  refundReference?: string | null;
}
