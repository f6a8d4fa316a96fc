import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { SafeInt } from "../scalars";

export enum PartnerBilling {
  POSTPAID = "POSTPAID",
  PREPAID = "PREPAID",
}
registerEnumType(PartnerBilling, {
  name: "PartnerBilling",
  description: "How a partner pays for the points it issues.",
  valuesConfig: {
    POSTPAID: { description: "Billed after each period, on its statement: issuing is never refused." },
    PREPAID: {
      description:
        "Issues only from an allowance of points bought in advance (addPrepaidPoints): a purchase or adjustment that would issue more than what is left fails with LIMIT_EXCEEDED and writes nothing; a bonus it funds is cut to what is left (the purchase keeps its own points).",
    },
  },
});

@ObjectType({
  description:
    "One version of a partner's settlement terms, in force from `effectiveFrom` until the next version's. Prices are in minor units of the settlement currency (SETTLEMENT_CURRENCY) per 1,000 points. " +
    "Each movement is valued at the version in force when it was posted, and keeps that value: a new version never changes what was already moved. A partner without terms settles at zero prices, POSTPAID.",
})
export class PartnerTerms {
  @Field(() => ID, { description: "The partner the terms are for." })
  partnerId!: string;

  @Field(() => Int, { description: "1 for the partner's first terms, then 2, 3…" })
  version!: number;

  @Field(() => Date, { description: "When this version takes effect (it stays in force until the next version's effectiveFrom)." })
  effectiveFrom!: Date;

  @Field(() => SafeInt, { description: "What the partner pays the coalition per 1,000 points it issues (purchases, tier bonuses, bonuses and adjustments it funds), in minor units." })
  issuePricePer1000!: number;

  @Field(() => SafeInt, { description: "What the coalition pays the partner per 1,000 points members redeem for its rewards, in minor units." })
  redemptionPricePer1000!: number;

  @Field(() => Int, { description: "0 to 100: the percent of the issue price given back to the partner when points it issued expire unused." })
  breakageSharePercent!: number;

  @Field(() => PartnerBilling, { description: "POSTPAID or PREPAID." })
  billing!: PartnerBilling;

  @Field(() => String, { description: "The settlement currency the prices are in (ISO 4217, SETTLEMENT_CURRENCY; one per coalition)." })
  currency!: string;
}

@InputType({ description: "A new version of a partner's settlement terms." })
export class SetPartnerTermsInput {
  @Field(() => ID, { description: "The partner (must exist)." })
  partnerId!: string;

  @Field(() => Date, {
    nullable: true,
    description: "When the terms take effect: now when omitted; never in the past of the ledger's clock, and after the partner's latest version's effectiveFrom.",
  })
  effectiveFrom?: Date | null;

  @Field(() => SafeInt, { description: "Minor units per 1,000 points issued: 0 to 100,000,000." })
  issuePricePer1000!: number;

  @Field(() => SafeInt, { description: "Minor units per 1,000 points redeemed for the partner's rewards: 0 to 100,000,000." })
  redemptionPricePer1000!: number;

  @Field(() => Int, { description: "0 to 100: the percent of the issue price given back when the partner's points expire." })
  breakageSharePercent!: number;

  @Field(() => PartnerBilling, { description: "POSTPAID or PREPAID." })
  billing!: PartnerBilling;
}

@InputType({ description: "Points a PREPAID partner buys in advance." })
export class AddPrepaidPointsInput {
  @Field(() => ID, { description: "The partner; its terms in force now must be PREPAID (terms that start later do not count yet)." })
  partnerId!: string;

  @Field(() => SafeInt, { description: "Points added to the allowance: 1 to 1,000,000,000,000." })
  points!: number;

  @Field(() => String, {
    description: "1 to 100 characters, the top-up's id (an invoice number): the same partner and reference are added once; the same reference with other points is an IDEMPOTENCY_CONFLICT.",
  })
  reference!: string;
}
