import { Field, Float, InputType, Int } from "type-graphql";
import { PartnerCategory } from "../../../../shared/src/enums";

@InputType({ description: "A new partner brand and its earn rule." })
export class RegisterPartnerInput {
  @Field(() => String, { description: "Lowercase letters, digits and single hyphens, 2 to 50 characters; unique." })
  slug!: string;

  @Field(() => String)
  name!: string;

  @Field(() => PartnerCategory)
  category!: PartnerCategory;

  @Field(() => Float, { description: "Points per 1.00 of currency spent; greater than 0, at most 1000, up to 4 decimals." })
  pointsPerUnit!: number;

  @Field(() => String, { description: "ISO 4217 currency code, e.g. `EUR`." })
  currency!: string;

  @Field(() => Int, { defaultValue: 0, description: "Return window in days (0 to 365)." })
  returnWindowDays!: number;
}
