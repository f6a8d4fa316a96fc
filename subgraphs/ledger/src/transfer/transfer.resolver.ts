import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import { requireSelf } from "../../../../shared/src/auth/policy";
import type { Context } from "../context";
import { LedgerEntry } from "../entry/ledger-entry.type";
import { TransferPointsInput } from "./transfer-points.input";

@Resolver()
export class TransferResolver {
  @Mutation(() => LedgerEntry, {
    description:
      "Moves available points from one member to another (returns the sender's TRANSFER_OUT entry). Limited per sender per day (LIMIT_EXCEEDED); " +
      "transferred points keep their expiry and do not count toward tier. " +
      'Example: `transferPoints(input: { fromMemberId: "…", toMemberId: "…", points: 500, idempotencyKey: "gift-2026-11-22-1" }) { points }`.',
  })
  transferPoints(@Arg("input", () => TransferPointsInput) input: TransferPointsInput, @Ctx() { identity, transfers }: Context): Promise<LedgerEntry> {
    requireSelf(identity, input.fromMemberId);
    return transfers.transfer(input);
  }
}
