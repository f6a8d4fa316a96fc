import { Directive, Field, ID, ObjectType } from "type-graphql";

/** The partners subgraph owns Partner; the catalog only adds its rewards. */
@Directive(`@key(fields: "id")`)
@ObjectType({ description: "A brand in the coalition: members earn points there and spend them at any partner." })
export class Partner {
  @Field(() => ID, { description: "Unique id of the partner." })
  id!: string;

  static stub(id: string): Partner {
    return Object.assign(new Partner(), { id });
  }
}
