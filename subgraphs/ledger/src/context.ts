import type { DataSource } from "typeorm";
import { createLinkedPartnersLoader } from "../../../shared/src/auth/linked-partners";
import type { Identity } from "../../../shared/src/auth/proof";
import { createActivityLoader } from "./activity/activity.loader";
import { createExpiringSoonLoader, createPartnerPointsLoader, createStandingLoader } from "./balance/standing.loader";
import { type Clock, systemClock } from "./clock";
import { HoldService } from "./hold/hold.service";
import { createLedgerEntryLoader } from "./entry/ledger-entry.loader";
import { PurchaseService } from "./purchase/purchase.service";
import { ReversalService } from "./reversal/reversal.service";
import { createSettlementLoader } from "./settlement/settlement.loader";
import { TransferService } from "./transfer/transfer.service";

/** Per request: services and fresh DataLoaders, so batching never leaks data between requests. */
export function createContext(dataSource: DataSource, identity: Identity = { kind: "anonymous" }, clock: Clock = systemClock) {
  const manager = dataSource.manager;
  return {
    identity,
    purchases: new PurchaseService(dataSource, clock),
    holds: new HoldService(dataSource, clock),
    reversals: new ReversalService(dataSource, clock),
    transfers: new TransferService(dataSource, clock),
    loaders: {
      standing: createStandingLoader(manager, clock),
      linkedPartners: createLinkedPartnersLoader(),
      partnerPoints: createPartnerPointsLoader(manager),
      expiringSoon: createExpiringSoonLoader(manager, clock),
      ledgerEntry: createLedgerEntryLoader(manager),
      activity: createActivityLoader(manager),
      settlement: createSettlementLoader(manager, clock),
    },
  };
}
export type Context = ReturnType<typeof createContext>;
