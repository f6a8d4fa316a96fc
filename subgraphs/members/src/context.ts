import type { IncomingMessage } from "node:http";
import DataLoader from "dataloader";
import type { DataSource } from "typeorm";
import { readAuditRows } from "../../../shared/src/audit/audit-page";
import type { Identity } from "../../../shared/src/auth/proof";
import { requestIdOf } from "../../../shared/src/request-id";
import { SubgraphClient } from "../../../shared/src/subgraph-client";
import { ErasureSaga } from "./member-data/erasure.saga";
import { createMemberLoader } from "./member/member.loader";
import { MemberService } from "./member/member.service";
import { createPartnerAccountsLoader } from "./partner-account/partner-account.loader";
import { PartnerAccountService } from "./partner-account/partner-account.service";

/**
 * Per request: services and fresh DataLoaders, so batching never leaks data between requests. Calls
 * to other services carry the request's id.
 */
export function createContext(dataSource: DataSource, req?: IncomingMessage, identity: Identity = { kind: "anonymous" }) {
  const members = new MemberService(dataSource, new SubgraphClient("ledger", requestIdOf(req)));
  const partnerAccounts = new PartnerAccountService(dataSource, new SubgraphClient("partners", requestIdOf(req)));
  return {
    identity,
    requestId: requestIdOf(req),
    auditRows: (filter: Parameters<typeof readAuditRows>[2], after: Parameters<typeof readAuditRows>[3], limit: number) => readAuditRows(dataSource.manager, "members", filter, after, limit),
    dataSource,
    members,
    erasure: new ErasureSaga(dataSource, new SubgraphClient("ledger", requestIdOf(req))),
    partnerAccounts,
    loaders: {
      member: createMemberLoader(members),
      partnerAccounts: createPartnerAccountsLoader(partnerAccounts),
      // Admin profile reads through `_entities`, audited once per batch.
      profileRead: new DataLoader<string, void>(async (ids) => {
        await members.auditProfileReads({ identity, requestId: requestIdOf(req) }, [...ids]);
        return ids.map(() => undefined);
      }),
    },
  };
}
export type Context = ReturnType<typeof createContext>;
