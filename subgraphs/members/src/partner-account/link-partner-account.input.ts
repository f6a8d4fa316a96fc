import { Field, ID, InputType } from "type-graphql";

@InputType({ description: "Links a member to their account at a partner brand." })
export class LinkPartnerAccountInput {
  @Field(() => ID, { description: "The member to link (a UUID); must exist." })
  memberId!: string;

  @Field(() => ID, { description: "The partner brand the account is at (a UUID); must exist." })
  partnerId!: string;

  @Field(() => String, { description: "The member's account id at the partner, 1 to 100 characters; unique per partner." })
  externalId!: string;
}
