import type { DataSource } from "typeorm";
import type { Identity } from "../../../shared/src/auth/proof";
import { createMemberLoader } from "./member/member.loader";
import { MemberService } from "./member/member.service";
import { createPartnerAccountsLoader } from "./partner-account/partner-account.loader";
import { PartnerAccountService } from "./partner-account/partner-account.service";

/** Per request: services and fresh DataLoaders, so batching never leaks data between requests. */
export function createContext(dataSource: DataSource, _req?: unknown, identity: Identity = { kind: "anonymous" }) {
  const members = new MemberService(dataSource);
  const partnerAccounts = new PartnerAccountService(dataSource);
  return {
    identity,
    members,
    partnerAccounts,
    loaders: { member: createMemberLoader(members), partnerAccounts: createPartnerAccountsLoader(partnerAccounts) },
  };
}
export type Context = ReturnType<typeof createContext>;
