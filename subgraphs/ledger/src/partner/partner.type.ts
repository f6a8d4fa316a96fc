import { Directive, Field, ID, ObjectType } from "type-graphql";
import { docs } from "../../../../shared/src/schema-docs";

/** Owned by the partners subgraph; the ledger adds settlement (see settlement/). */
@Directive(`@key(fields: "id")`)
@ObjectType({ description: docs.partner })
export class Partner {
  @Field(() => ID, { description: docs.partnerId })
  id!: string;
}

export const partnerStub = (id: string) => Object.assign(new Partner(), { id });
