import { Directive, Field, ID, ObjectType } from "type-graphql";
import { docs } from "../../../../shared/src/schema-docs";

/** Owned by the partners subgraph; here only as the target of PartnerAccount.partner. */
@Directive(`@key(fields: "id", resolvable: false)`)
@ObjectType({ description: docs.partner })
export class Partner {
  @Field(() => ID, { description: docs.partnerId })
  id!: string;
}
