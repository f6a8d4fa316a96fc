import { Directive, Field, ID, ObjectType } from "type-graphql";

/** Owned by the partners subgraph; here only as the target of PartnerAccount.partner. */
@Directive(`@key(fields: "id", resolvable: false)`)
@ObjectType()
export class Partner {
  @Field(() => ID)
  id!: string;
}
