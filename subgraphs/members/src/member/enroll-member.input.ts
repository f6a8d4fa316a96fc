import { Field, InputType } from "type-graphql";

@InputType({ description: "A new member." })
export class EnrollMemberInput {
  @Field(() => String, { description: "Email address, at most 254 characters; stored lowercased and unique across the coalition (compared case-insensitively)." })
  email!: string;

  @Field(() => String, { description: "Name shown to the member and partners, 1 to 80 characters." })
  displayName!: string;
}
