import type { MemberDataTable } from "../../../../shared/src/member-data/member-data-export";

/**
 * Every table of the members database that holds a member's data, one line each: the member's export
 * reads exactly these (test/member-export.test.ts fails when a table with a member id is missing).
 */
export const MEMBER_DATA_TABLES: readonly MemberDataTable[] = [
  { table: "members", where: "id = $1", orderBy: "id" },
  { table: "partner_accounts", orderBy: "linked_at, partner_id" },
  { table: "partner_account_history", orderBy: "id" },
  { table: "member_erasures", orderBy: "member_id" },
  { table: "audit_events", orderBy: "occurred_at, id" },
];
