import { Directive, Field, ID, ObjectType } from "type-graphql";
import { docs } from "../../../../shared/src/schema-docs";

/** Owned by the members subgraph; the ledger adds balance, tier and tierProgress (see balance/). */
@Directive(`@key(fields: "id")`)
@ObjectType({ description: docs.member })
export class Member {
  @Field(() => ID, { description: docs.memberId })
  id!: string;
}

export const memberStub = (id: string) => Object.assign(new Member(), { id });
