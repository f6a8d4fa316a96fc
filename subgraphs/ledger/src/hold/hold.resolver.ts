import { Arg, Ctx, Directive, ID, Mutation, Query, Resolver } from "type-graphql";
import { requireAdmin } from "../../../../shared/src/auth/policy";
import type { Context } from "../context";
import { LedgerEntry } from "../entry/ledger-entry.type";
import { HoldInput, PointsHold } from "./hold.types";
import { CAP_TEXT } from "../rule-docs";

/** The catalog's redemption saga calls these directly; @inaccessible keeps them out of the public API. */
@Resolver()
export class HoldResolver {
  @Directive("@inaccessible")
  @Query(() => PointsHold, { nullable: true, description: "A redemption's points hold, if any (for recovery)." })
  pointsHold(@Arg("redemptionId", () => ID, { description: "The redemption." }) redemptionId: string, @Ctx() { identity, holds }: Context): Promise<PointsHold | null> {
    requireAdmin(identity);
    return holds.find(redemptionId);
  }

  @Directive("@inaccessible")
  @Mutation(() => PointsHold, { description: `Reserves points for a redemption; INSUFFICIENT_POINTS when they are not available, LIMIT_EXCEEDED when the member's lifetime redeemed points (with live holds) would pass ${CAP_TEXT}.` })
  placeHold(@Arg("input", () => HoldInput, { description: "The hold to place." }) input: HoldInput, @Ctx() { identity, holds }: Context): Promise<PointsHold> {
    requireAdmin(identity);
    return holds.place(input);
  }

  @Directive("@inaccessible")
  @Mutation(() => PointsHold, { description: "Spends the held points (a REDEEM entry); HOLD_RELEASED when the hold was released or expired." })
  captureHold(@Arg("redemptionId", () => ID, { description: "The redemption." }) redemptionId: string, @Ctx() { identity, holds }: Context): Promise<PointsHold> {
    requireAdmin(identity);
    return holds.capture(redemptionId);
  }

  @Directive("@inaccessible")
  @Mutation(() => LedgerEntry, { description: "Gives a completed redemption's points back (it was cancelled); once per redemption." })
  refundRedemption(@Arg("redemptionId", () => ID, { description: "The cancelled redemption." }) redemptionId: string, @Ctx() { identity, holds }: Context): Promise<LedgerEntry> {
    requireAdmin(identity);
    return holds.refund(redemptionId);
  }

  @Directive("@inaccessible")
  @Mutation(() => PointsHold, { description: "Gives the held points back; a captured hold stays captured (check the status)." })
  releaseHold(@Arg("input", () => HoldInput, { description: "The hold to release." }) input: HoldInput, @Ctx() { identity, holds }: Context): Promise<PointsHold> {
    requireAdmin(identity);
    return holds.release(input);
  }
}
