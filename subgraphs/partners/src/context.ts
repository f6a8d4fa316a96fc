import type { IncomingMessage } from "node:http";
import type { DataSource } from "typeorm";
import type { Identity } from "../../../shared/src/auth/proof";
import { ApiKeyService } from "./api-key/api-key.service";
import { createPartnerLoader } from "./partner/partner.loader";
import { PartnerService } from "./partner/partner.service";

/** Per request: services and fresh DataLoaders, so batching never leaks data between requests. */
export function createContext(dataSource: DataSource, _req?: IncomingMessage, identity: Identity = { kind: "anonymous" }) {
  const partners = new PartnerService(dataSource);
  return { identity, partners, apiKeys: new ApiKeyService(dataSource), loaders: { partner: createPartnerLoader(partners) } };
}
export type Context = ReturnType<typeof createContext>;
