import { Directive, Field, ID, ObjectType } from "type-graphql";
import { docs } from "../../../../shared/src/schema-docs";

/** The members subgraph owns Member; the partners service adds only its part of the member's data export. */
@Directive(`@key(fields: "id")`)
@ObjectType({ description: docs.member })
export class Member {
  @Field(() => ID, { description: docs.memberId })
  id!: string;
}
