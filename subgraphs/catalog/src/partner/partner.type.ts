import { Directive, Field, ID, ObjectType } from "type-graphql";
import { docs } from "../../../../shared/src/schema-docs";

/** The partners subgraph owns Partner; the catalog only adds its rewards. */
@Directive(`@key(fields: "id")`)
@ObjectType({ description: docs.partner })
export class Partner {
  @Field(() => ID, { description: docs.partnerId })
  id!: string;

  static stub(id: string): Partner {
    return Object.assign(new Partner(), { id });
  }
}
