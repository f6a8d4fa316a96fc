import type { DataSource } from "typeorm";
import { createPartnerLoader } from "./partner/partner.loader";
import { PartnerService } from "./partner/partner.service";

/** Per request: services and fresh DataLoaders, so batching never leaks data between requests. */
export function createContext(dataSource: DataSource) {
  const partners = new PartnerService(dataSource);
  return { partners, loaders: { partner: createPartnerLoader(partners) } };
}
export type Context = ReturnType<typeof createContext>;
