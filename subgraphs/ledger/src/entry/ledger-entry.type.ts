import { Directive, Field, ID, Int, ObjectType } from "type-graphql";
import { Member } from "../member/member.type";
import { Partner } from "../partner/partner.type";
import { LedgerEntryKind } from "./ledger-entry-kind";

@Directive(`@key(fields: "id")`)
@ObjectType({ description: "One movement of a member's points. History is append-only: a correction is a new entry." })
export class LedgerEntry {
  @Field(() => ID)
  id!: string;

  @Field(() => Member)
  member!: Member;

  @Field(() => Partner, { nullable: true, description: "The partner where the points were earned or spent, when there is one." })
  partner!: Partner | null;

  @Field(() => LedgerEntryKind)
  kind!: LedgerEntryKind;

  @Field(() => Int, { description: "Points added to (positive) or taken from (negative) the member's balance." })
  points!: number;

  @Field(() => String, { nullable: true, description: "The partner's receipt id for purchases; the redemption id for redemptions." })
  reference!: string | null;

  @Field(() => Date, { description: "When it happened (for purchases, when the purchase was made)." })
  occurredAt!: Date;
}
