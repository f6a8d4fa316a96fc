import { Field, ID, InputType } from "type-graphql";

@InputType({ description: "Links a member to their account at a partner brand." })
export class LinkPartnerAccountInput {
  @Field(() => ID)
  memberId!: string;

  @Field(() => ID)
  partnerId!: string;

  @Field(() => String, { description: "The member's account id at the partner, 1 to 100 characters; unique per partner." })
  externalId!: string;
}
