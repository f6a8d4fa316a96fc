import { Arg, Ctx, Directive, Mutation, Resolver } from "type-graphql";
import type { Context } from "../context";
import { LedgerEntry } from "../entry/ledger-entry.type";
import { DebitPointsInput } from "./debit-points.input";

@Resolver()
export class DebitResolver {
  @Directive("@inaccessible")
  @Mutation(() => LedgerEntry, { description: "Takes points for a redemption (called by the catalog service, not by clients)." })
  debitPoints(@Arg("input", () => DebitPointsInput) input: DebitPointsInput, @Ctx() { debits }: Context): Promise<LedgerEntry> {
    return debits.debit(input);
  }
}
