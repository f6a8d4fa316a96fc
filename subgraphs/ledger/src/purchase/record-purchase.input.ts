import { Field, ID, InputType, Int } from "type-graphql";
import { BACKDATE_TEXT, n } from "../rule-docs";
import { MAX_AMOUNT_MINOR } from "../rules";

@InputType({ description: "A purchase a member made at a partner. Points are computed from the partner's earn rule; callers never send points." })
export class RecordPurchaseInput {
  @Field(() => ID, { description: "The partner where the purchase was made: the calling app's own partner (admins: any)." })
  partnerId!: string;

  @Field(() => ID, { description: "The member who bought (a UUID); must exist." })
  memberId!: string;

  @Field(() => Int, { description: `Amount paid, in minor units of the currency (cents): 12.34 EUR is 1234. Between 1 and ${n(MAX_AMOUNT_MINOR)}.` })
  amountMinor!: number;

  @Field(() => String, { description: "ISO 4217 code of the amount (case-insensitive); must be the partner's currency." })
  currency!: string;

  @Field(() => String, {
    description: "The partner's receipt id, 1 to 100 characters. The same partner and reference are recorded once: a retry returns the first entry.",
  })
  reference!: string;

  @Field(() => Date, {
    nullable: true,
    description: `When the purchase was made (default: now); ${BACKDATE_TEXT} and not in the future. A late purchase earns at the tier the member had at that time.`,
  })
  occurredAt?: Date | null;
}
