import { Field, ID, ObjectType } from "type-graphql";

@ObjectType({ description: "A partner app's API key (admins only). The key itself is shown only when it is issued; the coalition stores only its SHA-256 hash." })
export class PartnerApiKey {
  @Field(() => ID, { description: "The key's id, to revoke it with (not the key itself)." })
  id!: string;

  @Field(() => ID, { description: "The partner whose apps use the key: requests with it act as that partner." })
  partnerId!: string;

  @Field(() => String, { description: "The first 7 characters of the key (e.g. `ck_Ab3d`), to tell keys apart." })
  prefix!: string;

  @Field(() => Date, { description: "When the key was issued (UTC)." })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: "When it was revoked; null while the key works. A revoked key is refused (UNAUTHENTICATED)." })
  revokedAt!: Date | null;
}

@ObjectType({ description: "A newly issued API key: store `key` now, it is never shown again." })
export class IssuedPartnerApiKey extends PartnerApiKey {
  @Field(() => String, { description: "The key itself: the partner app sends it as the `x-api-key` header. Shown only in this answer." })
  key!: string;
}
