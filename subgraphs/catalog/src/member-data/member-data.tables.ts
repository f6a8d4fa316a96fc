import type { MemberDataTable } from "../../../../shared/src/member-data/member-data-export";

/**
 * Every table of the catalog that holds a member's data, one line each: the member's export reads
 * exactly these (test/member-export.test.ts fails when a table with a member id is missing).
 * Redemptions carry the vouchers (code, used, cancelled).
 */
export const CATALOG_MEMBER_DATA_TABLES: readonly MemberDataTable[] = [
  { table: "redemptions", orderBy: "created_at, id" },
  { table: "audit_events", orderBy: "occurred_at, id" },
  { table: "member_erasures", orderBy: "member_id" },
];
