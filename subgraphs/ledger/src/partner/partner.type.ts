import { Directive, Field, ID, ObjectType } from "type-graphql";

/** Owned by the partners subgraph; here only as the target of references. */
@Directive(`@key(fields: "id", resolvable: false)`)
@ObjectType()
export class Partner {
  @Field(() => ID)
  id!: string;
}

export const partnerStub = (id: string) => Object.assign(new Partner(), { id });
