import { buildFederatedSchema } from "../../../shared/src/subgraph-schema";
import { MemberBalanceResolver, PointsBalanceResolver } from "./balance/balance.resolver";
import { DebitResolver } from "./debit/debit.resolver";
import { ledgerEntryReference } from "./entry/ledger-entry.reference";
import { memberReference } from "./member/member.reference";
import { Member } from "./member/member.type";
import { PurchaseResolver } from "./purchase/purchase.resolver";
import { ReversalResolver } from "./reversal/reversal.resolver";
import { TransferResolver } from "./transfer/transfer.resolver";

/** The ledger subgraph's whole surface. */
export const buildSchema = () =>
  buildFederatedSchema({
    resolvers: [PurchaseResolver, ReversalResolver, TransferResolver, DebitResolver, MemberBalanceResolver, PointsBalanceResolver],
    orphanedTypes: [Member],
    referenceResolvers: { ...memberReference, ...ledgerEntryReference },
  });
