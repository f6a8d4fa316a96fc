import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import { requireSelf } from "../../../../shared/src/auth/policy";
import { withExample } from "../../../../shared/src/schema-docs";
import type { Context } from "../context";
import { LedgerEntry } from "../entry/ledger-entry.type";
import { TransferPointsInput } from "./transfer-points.input";
import { CAP_TEXT, TRANSFER_DAILY_LIMIT_TEXT } from "../rule-docs";

@Resolver()
export class TransferResolver {
  @Mutation(() => LedgerEntry, {
    description: withExample(
      "Moves available points from one member to another (returns the sender's TRANSFER_OUT entry; the receiver gets a TRANSFER_IN). " +
        `Callers: the sending member and admins. At most ${TRANSFER_DAILY_LIMIT_TEXT} points per sender per UTC day by default, and the receiver's balance may not pass ${CAP_TEXT} (LIMIT_EXCEEDED); ` +
        "transferred points keep their expiry and do not count toward tier. The idempotency key is the sender's own. Errors: BAD_USER_INPUT, NOT_FOUND, INSUFFICIENT_POINTS, LIMIT_EXCEEDED, IDEMPOTENCY_CONFLICT.",
      `mutation {
  transferPoints(input: { fromMemberId: "5b0e5c2e-8f0a-4d36-9a57-2f1c8a9d4e10", toMemberId: "8c1d3e5f-7a9b-4c2d-b4e6-1f3a5c7e9b02", points: 500, idempotencyKey: "gift-2026-11-22-1" }) {
    id
    kind
    points
  }
}`,
    ),
  })
  transferPoints(@Arg("input", () => TransferPointsInput, { description: "Who gives whom how many points, and the retry key." }) input: TransferPointsInput, @Ctx() { identity, transfers, requestId }: Context): Promise<LedgerEntry> {
    requireSelf(identity, input.fromMemberId);
    return transfers.transfer(input, { identity, requestId });
  }
}
