import { Field, Float, InputType, Int } from "type-graphql";
import { PartnerCategory } from "../../../../shared/src/enums";
import { MAX_POINTS_PER_UNIT, MAX_RETURN_WINDOW_DAYS, POINTS_PER_UNIT_DECIMALS } from "../rules/earn-rule";

@InputType({ description: "A new partner brand and its earn rule." })
export class RegisterPartnerInput {
  @Field(() => String, { description: "Short name for URLs: lowercase letters, digits and single hyphens, 2 to 50 characters, e.g. `city-grocer`; unique (CONFLICT otherwise)." })
  slug!: string;

  @Field(() => String, { description: "The brand's name as members know it, 1 to 100 characters." })
  name!: string;

  @Field(() => PartnerCategory, { description: "What kind of business the brand is." })
  category!: PartnerCategory;

  @Field(() => Float, { description: `Points per 1.00 (100 minor units) of currency spent, before tier bonuses; greater than 0, at most ${MAX_POINTS_PER_UNIT}, up to ${POINTS_PER_UNIT_DECIMALS} decimals.` })
  pointsPerUnit!: number;

  @Field(() => String, { description: "ISO 4217 code of the currency the partner's purchases are in, e.g. `EUR` (case-insensitive); purchases must be sent in it." })
  currency!: string;

  @Field(() => Int, { defaultValue: 0, description: `Return window in days, 0 to ${MAX_RETURN_WINDOW_DAYS} (default 0): points earned stay pending this long after each purchase.` })
  returnWindowDays!: number;
}
