import { Directive, Field, Int, ObjectType } from "type-graphql";

/** A value type the ledger owns; the catalog only reads `available`, which the gateway passes in. */
@ObjectType({ description: "A member's points, as the ledger keeps them." })
export class PointsBalance {
  @Directive("@external")
  @Field(() => Int, { description: "Points the member can spend now." })
  available!: number;
}
