import { Field, InputType } from "type-graphql";

@InputType({ description: "A new member." })
export class EnrollMemberInput {
  @Field(() => String, { description: "Email address, at most 254 characters; stored lowercased and unique across the coalition (compared case-insensitively)." })
  email!: string;

  @Field(() => String, { description: "Name shown to the member and partners, 1 to 80 characters." })
  displayName!: string;

  @Field(() => String, {
    nullable: true,
    description:
      "Partner apps only: the customer's account id at the calling partner (loyalty card number…), 1 to 100 characters, for the PENDING link the enrolment leaves. " +
      "Left out, the link's account id is the member's id. Admins may not send it (BAD_USER_INPUT): they link accounts with linkPartnerAccount.",
  })
  externalId?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "Another member's referral code (`Member.referralCode`): when this member's first purchase is recorded, both get the referral bonus. " +
      "An unknown code, or the member's own, is BAD_USER_INPUT (nothing is written). Ignored for an address already enrolled (a partner app's till).",
  })
  referralCode?: string | null;
}
