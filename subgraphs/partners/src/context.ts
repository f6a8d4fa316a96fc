import type { IncomingMessage } from "node:http";
import type { DataSource } from "typeorm";
import { readAuditRows } from "../../../shared/src/audit/audit-page";
import type { Identity } from "../../../shared/src/auth/proof";
import { requestIdOf } from "../../../shared/src/request-id";
import { ApiKeyService } from "./api-key/api-key.service";
import { createPartnerLoader } from "./partner/partner.loader";
import { PartnerService } from "./partner/partner.service";

/** Per request: services and fresh DataLoaders, so batching never leaks data between requests. */
export function createContext(dataSource: DataSource, req?: IncomingMessage, identity: Identity = { kind: "anonymous" }) {
  const partners = new PartnerService(dataSource);
  return {
    identity,
    dataSource,
    requestId: requestIdOf(req),
    auditRows: (filter: Parameters<typeof readAuditRows>[2], after: Parameters<typeof readAuditRows>[3], limit: number) => readAuditRows(dataSource.manager, "partners", filter, after, limit),
    partners, apiKeys: new ApiKeyService(dataSource), loaders: { partner: createPartnerLoader(partners) } };
}
export type Context = ReturnType<typeof createContext>;
