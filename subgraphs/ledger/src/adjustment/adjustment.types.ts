import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { MAX_ADJUSTMENT_NOTE_LENGTH, MAX_ADJUSTMENT_POINTS } from "../rules";
import { Partner } from "../partner/partner.type";

export enum AdjustmentReason {
  GOODWILL = "GOODWILL",
  CORRECTION = "CORRECTION",
  MIGRATION = "MIGRATION",
  FRAUD = "FRAUD",
}
registerEnumType(AdjustmentReason, {
  name: "AdjustmentReason",
  description: "Why customer care adjusted a member's points.",
  valuesConfig: {
    GOODWILL: { description: "A gesture for the member (a complaint, a delay)." },
    CORRECTION: { description: "Fixes a mistake (a purchase recorded wrong, points missing or counted twice)." },
    MIGRATION: { description: "Points brought over from a program the member belonged to before." },
    FRAUD: { description: "Takes back points obtained by fraud." },
  },
});

@InputType({ description: "A manual change to a member's points by customer care." })
export class AdjustPointsInput {
  @Field(() => ID, { description: "The member whose points change." })
  memberId!: string;

  @Field(() => Int, { description: `Points to add (positive) or take (negative): not zero, at most ${MAX_ADJUSTMENT_POINTS.toLocaleString("en-US")} either way. Taking more than the member can spend leaves a debt, as a refund does.` })
  points!: number;

  @Field(() => AdjustmentReason, { description: "Why: GOODWILL, CORRECTION, MIGRATION or FRAUD." })
  reason!: AdjustmentReason;

  @Field(() => String, { description: `Why, in words (1 to ${MAX_ADJUSTMENT_NOTE_LENGTH} characters), kept with the entry for ever; the member sees it.` })
  note!: string;

  @Field(() => String, { description: "1 to 200 characters, unique per adjustment among the calling admin's own: a retry with the same key returns the first entry; the same key with different details is an IDEMPOTENCY_CONFLICT." })
  idempotencyKey!: string;

  @Field(() => ID, { nullable: true, description: "The partner that pays for the points (its issuance account is debited, and its clearing counts them); omit for the coalition to fund it." })
  fundedByPartnerId?: string | null;
}

@ObjectType({ description: "Why and by whom an ADJUSTMENT entry was made." })
export class Adjustment {
  @Field(() => AdjustmentReason, { description: "The reason given." })
  reason!: AdjustmentReason;

  @Field(() => String, { description: "The note given." })
  note!: string;

  @Field(() => String, { nullable: true, description: "Who made it: `admin:<subject>`, or `service:ledger` for a referral bonus the ledger withdrew when the referred member was erased; shown to admins only, null for the member." })
  madeBy!: string | null;

  @Field(() => Partner, { nullable: true, description: "The partner that funds it; null when the coalition does." })
  fundedBy!: Partner | null;
}
