import { Directive, Field, Float, ID, Int, ObjectType } from "type-graphql";
import { PartnerCategory } from "../../../../shared/src/enums";
import type { PartnerRecord } from "./partner.entity";

@Directive(`@key(fields: "id")`)
@ObjectType({ description: "A brand in the coalition: members earn points there and spend them at any partner." })
export class Partner {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: "Short unique name used in URLs, e.g. `skyways`." })
  slug!: string;

  @Field(() => String)
  name!: string;

  @Field(() => PartnerCategory)
  category!: PartnerCategory;

  @Field(() => Float, { description: "Points earned per 1.00 of the partner's currency spent (before tier bonuses)." })
  pointsPerUnit!: number;

  @Field(() => String, { description: "ISO 4217 code of the currency purchases at this partner are made in, e.g. `EUR`." })
  currency!: string;

  @Field(() => Int, { description: "Days after a purchase during which it may be returned; its points stay pending until then." })
  returnWindowDays!: number;

  @Field(() => Date, { description: "When the partner joined the coalition." })
  createdAt!: Date;

  static from(record: PartnerRecord): Partner {
    return Object.assign(new Partner(), { ...record, pointsPerUnit: Number(record.pointsPerUnit) });
  }
}
