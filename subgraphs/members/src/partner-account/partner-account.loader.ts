import { groupLoader } from "../../../../shared/src/loaders";
import type { PartnerAccountService } from "./partner-account.service";

/** A member's linked accounts, for many members in one query. */
export const createPartnerAccountsLoader = (accounts: PartnerAccountService) =>
  groupLoader((memberIds: string[]) => accounts.findByMemberIds(memberIds), (row) => row.memberId);
