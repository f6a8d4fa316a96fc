import { Field, ID, ObjectType } from "type-graphql";

@ObjectType({ description: "A partner app's API key. The key itself is shown only when it is issued." })
export class PartnerApiKey {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  partnerId!: string;

  @Field(() => String, { description: "The first characters of the key, to tell keys apart." })
  prefix!: string;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: "When it was revoked; a revoked key is refused." })
  revokedAt!: Date | null;
}

@ObjectType({ description: "A newly issued API key: store `key` now, it is never shown again." })
export class IssuedPartnerApiKey extends PartnerApiKey {
  @Field(() => String, { description: "Send it as the `x-api-key` header." })
  key!: string;
}
