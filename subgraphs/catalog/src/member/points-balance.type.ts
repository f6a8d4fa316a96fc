import { Directive, Field, Int, ObjectType } from "type-graphql";
import { docs } from "../../../../shared/src/schema-docs";

/** A value type the ledger owns; the catalog only reads `available`, which the gateway passes in. */
@ObjectType({ description: docs.pointsBalance })
export class PointsBalance {
  @Directive("@external")
  @Field(() => Int, { description: docs.pointsAvailable })
  available!: number;
}
