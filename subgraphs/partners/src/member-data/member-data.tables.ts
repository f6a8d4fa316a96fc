import type { MemberDataTable } from "../../../../shared/src/member-data/member-data-export";

/**
 * Every table of the partners database that holds a member's data, one line each: the member's export
 * reads exactly these (test/member-export.test.ts fails when a table with a member id is missing).
 * Partners hold no profile data; only audit lines of writes that concerned a member.
 */
export const PARTNERS_MEMBER_DATA_TABLES: readonly MemberDataTable[] = [{ table: "audit_events", orderBy: "occurred_at, id" }];
