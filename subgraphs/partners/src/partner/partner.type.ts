import { Directive, Field, Float, ID, Int, ObjectType } from "type-graphql";
import { PartnerCategory } from "../../../../shared/src/enums";
import { docs } from "../../../../shared/src/schema-docs";
import type { PartnerRecord } from "./partner.entity";
import { POINTS_PER_UNIT_DECIMALS } from "../rules/earn-rule";

@Directive(`@key(fields: "id")`)
@ObjectType({ description: docs.partner })
export class Partner {
  @Field(() => ID, { description: docs.partnerId })
  id!: string;

  @Field(() => String, { description: "Short unique name used in URLs, e.g. `skyways`." })
  slug!: string;

  @Field(() => String, { description: "The brand's name as members know it, e.g. `Skyways`." })
  name!: string;

  @Field(() => PartnerCategory, { description: "What kind of business the brand is." })
  category!: PartnerCategory;

  @Field(() => Float, { description: `The earn rule: points per 1.00 (100 minor units) of the partner's currency spent, before the member's tier bonus; up to ${POINTS_PER_UNIT_DECIMALS} decimals. A purchase earns floor(amountMinor / 100 × pointsPerUnit) base points.` })
  pointsPerUnit!: number;

  @Field(() => String, { description: "ISO 4217 code of the currency purchases at this partner are made in, e.g. `EUR`." })
  currency!: string;

  @Field(() => Int, { description: "Days after a purchase during which it may be returned; its points stay pending (not spendable, not qualifying) until then. 0 means available at once." })
  returnWindowDays!: number;

  @Field(() => Date, { description: "When the partner joined the coalition (UTC)." })
  createdAt!: Date;

  static from(record: PartnerRecord): Partner {
    return Object.assign(new Partner(), { ...record, pointsPerUnit: Number(record.pointsPerUnit) });
  }
}
