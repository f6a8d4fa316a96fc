import { Directive, Field, ID, ObjectType } from "type-graphql";

/** Owned by the partners subgraph; the ledger adds settlement (see settlement/). */
@Directive(`@key(fields: "id")`)
@ObjectType()
export class Partner {
  @Field(() => ID)
  id!: string;
}

export const partnerStub = (id: string) => Object.assign(new Partner(), { id });
