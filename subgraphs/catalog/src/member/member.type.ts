import { Directive, Field, ID, ObjectType } from "type-graphql";
import { TierLevel } from "../../../../shared/src/enums";
import { PointsBalance } from "./points-balance.type";

/**
 * The members subgraph owns Member; the catalog adds eligibility and redemptions. `tier` and
 * `balance` come from the ledger through the gateway (`@requires`), never from the catalog.
 */
@Directive(`@key(fields: "id")`)
@ObjectType({ description: "A person in the loyalty program." })
export class Member {
  @Field(() => ID, { description: "Unique id of the member." })
  id!: string;

  @Directive("@external")
  @Field(() => TierLevel, { description: "Current membership tier." })
  tier?: TierLevel;

  @Directive("@external")
  @Field(() => PointsBalance, { description: "Current points balance." })
  balance?: PointsBalance;

  static stub(id: string): Member {
    return Object.assign(new Member(), { id });
  }
}
