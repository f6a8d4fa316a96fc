import { Directive, Field, ID, ObjectType } from "type-graphql";
import { TierLevel } from "../../../../shared/src/enums";
import { docs } from "../../../../shared/src/schema-docs";
import { PointsBalance } from "./points-balance.type";

/**
 * The members subgraph owns Member; the catalog adds eligibility and redemptions. `tier` and
 * `balance` come from the ledger through the gateway (`@requires`), never from the catalog.
 */
@Directive(`@key(fields: "id")`)
@ObjectType({ description: docs.member })
export class Member {
  @Field(() => ID, { description: docs.memberId })
  id!: string;

  @Directive("@external")
  @Field(() => TierLevel, { nullable: true, description: docs.memberTier })
  tier?: TierLevel;

  @Directive("@external")
  @Field(() => PointsBalance, { nullable: true, description: docs.memberBalance })
  balance?: PointsBalance;

  static stub(id: string): Member {
    return Object.assign(new Member(), { id });
  }
}
