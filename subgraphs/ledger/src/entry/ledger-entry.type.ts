import { Directive, Field, ID, Int, ObjectType } from "type-graphql";
import { Member } from "../member/member.type";
import { Partner } from "../partner/partner.type";
import { LedgerEntryKind } from "./ledger-entry-kind";

@Directive(`@key(fields: "id")`)
@ObjectType({ description: "One movement of a member's points. History is append-only: a correction is a new entry. Only the member and admins see a member's entries." })
export class LedgerEntry {
  @Field(() => ID, { description: "The entry's unique id (a UUID)." })
  id!: string;

  @Field(() => Member, { description: "Whose points moved." })
  member!: Member;

  @Field(() => Partner, { nullable: true, description: "The partner brand where the points were earned, spent, clawed back or expired; null for transfers between members, for the expiry of points whose issuer is where another member earned them (received by transfer, or returned to the member by a cancelled redemption of such points), and for a referrer's bonus and its refund." })
  partner!: Partner | null;

  @Field(() => LedgerEntryKind, { description: "What moved the points." })
  kind!: LedgerEntryKind;

  @Field(() => Int, { description: "Points added to (positive) or taken from (negative) the member's balance." })
  points!: number;

  @Field(() => String, { nullable: true, description: "The partner's receipt id for purchases and their refunds; the redemption id for redemptions and cancelled redemptions; null for transfers, expiries and a referrer's bonus and its refund." })
  reference!: string | null;

  @Field(() => Date, { description: "When it happened (UTC); for purchases, when the purchase was made." })
  occurredAt!: Date;
}
