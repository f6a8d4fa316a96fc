import { byIdLoader } from "../../../../shared/src/loaders";
import type { PartnerService } from "./partner.service";
import { Partner } from "./partner.type";

export const createPartnerLoader = (partners: PartnerService) =>
  byIdLoader(async (ids) => (await partners.findByIds(ids)).map(Partner.from));
