import { Directive, Field, ID, ObjectType } from "type-graphql";

/** Owned by the members subgraph; the ledger adds balance, tier and tierProgress (see balance/). */
@Directive(`@key(fields: "id")`)
@ObjectType()
export class Member {
  @Field(() => ID)
  id!: string;
}

export const memberStub = (id: string) => Object.assign(new Member(), { id });
