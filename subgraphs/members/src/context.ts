import type { IncomingMessage } from "node:http";
import type { DataSource } from "typeorm";
import type { Identity } from "../../../shared/src/auth/proof";
import { requestIdOf } from "../../../shared/src/request-id";
import { SubgraphClient } from "../../../shared/src/subgraph-client";
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
    members,
    partnerAccounts,
    loaders: { member: createMemberLoader(members), partnerAccounts: createPartnerAccountsLoader(partnerAccounts) },
  };
}
export type Context = ReturnType<typeof createContext>;
