import { Directive, Field, ID, InputType, Int, ObjectType } from "type-graphql";
import { LedgerEntry } from "../entry/ledger-entry.type";

export enum HoldStatus {
  HELD = "HELD",
  CAPTURED = "CAPTURED",
  RELEASED = "RELEASED",
}

/** Service-to-service only (the catalog's redemption saga): hidden from the public API by @inaccessible. */
@Directive("@inaccessible")
@InputType({ description: "Points to reserve for one redemption." })
export class HoldInput {
  @Field(() => ID, { description: "The redemption; one hold per redemption, so every step is idempotent." })
  redemptionId!: string;

  @Field(() => ID, { description: "Whose points to hold." })
  memberId!: string;

  @Field(() => ID, { description: "The partner whose reward is redeemed." })
  partnerId!: string;

  @Field(() => Int, { description: "Points to hold." })
  points!: number;
}

@Directive("@inaccessible")
@ObjectType({ description: "A redemption's reservation of points." })
export class PointsHold {
  @Field(() => ID, { description: "The redemption holding the points." })
  redemptionId!: string;

  // A string, not an enum: an enum type would show in the public API even when only hidden fields use it.
  @Field(() => String, { description: "HELD, CAPTURED or RELEASED (an expired hold reads as RELEASED)." })
  status!: HoldStatus;

  @Field(() => Int, { description: "Points held." })
  points!: number;

  @Field(() => Date, { description: "A hold neither captured nor released by then releases itself." })
  expiresAt!: Date;

  @Field(() => LedgerEntry, { nullable: true, description: "The REDEEM entry, once captured." })
  entry!: LedgerEntry | null;
}
