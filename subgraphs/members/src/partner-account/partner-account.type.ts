import { Field, ID, ObjectType } from "type-graphql";
import { Partner } from "../partner/partner.type";
import type { PartnerAccountRecord } from "./partner-account.entity";
import { partnerAccountId } from "./partner-account-id";
import { PartnerAccountStatus } from "./partner-account-status";

@ObjectType({ description: "The link between a member and their own account at one partner brand (loyalty card number, customer id…)." })
export class PartnerAccount {
  @Field(() => ID, {
    description:
      "The link's id: the same for a member and partner pair whenever they are linked (an opaque UUID-shaped value derived from the pair), so client caches (Apollo Client, urql graphcache) can normalise it.",
  })
  id!: string;

  @Field(() => Partner, { description: "The partner brand the account is at." })
  partner!: Partner;

  @Field(() => String, { description: "The member's account id in the partner's own systems; unique per partner." })
  externalId!: string;

  @Field(() => Date, { description: "When the account was linked." })
  linkedAt!: Date;

  @Field(() => PartnerAccountStatus, {
    description: "PENDING until the member approves a link the partner's app made (approvePartnerLink); ACTIVE links alone let the partner see the member.",
  })
  status!: PartnerAccountStatus;

  @Field(() => Boolean, {
    description:
      "True when the account id came from the partner's own app or an admin; false when the member typed it themself (not verified: a link the " +
      "partner's app or an admin makes for another member with the same account id replaces it).",
  })
  confirmed!: boolean;

  static from(record: PartnerAccountRecord): PartnerAccount {
    return Object.assign(new PartnerAccount(), {
      id: partnerAccountId(record.memberId, record.partnerId),
      partner: Object.assign(new Partner(), { id: record.partnerId }),
      externalId: record.externalId,
      linkedAt: record.linkedAt,
      status: record.status,
      confirmed: record.confirmed,
    });
  }
}
