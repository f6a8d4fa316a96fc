import { Field, ObjectType } from "type-graphql";
import { Partner } from "../partner/partner.type";
import type { PartnerAccountRecord } from "./partner-account.entity";
import { PartnerAccountStatus } from "./partner-account-status";

@ObjectType({ description: "The link between a member and their own account at one partner brand (loyalty card number, customer id…)." })
export class PartnerAccount {
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

  static from(record: PartnerAccountRecord): PartnerAccount {
    return Object.assign(new PartnerAccount(), {
      partner: Object.assign(new Partner(), { id: record.partnerId }),
      externalId: record.externalId,
      linkedAt: record.linkedAt,
      status: record.status,
    });
  }
}
