import type { MigrationInterface, QueryRunner } from "typeorm";
import { createAuditEventsTable, dropAuditEventsTable } from "../../../../shared/src/audit/audit-table";

/**
 * The audit trail's table in this service's database (shared/src/audit/audit-table.ts, the same in
 * every service): append-only lines written in the transaction of the change they record.
 * down() reverts exactly this: drops `audit_events` and its append-only trigger function.
 */
export class AuditEvents1734250000000 implements MigrationInterface {
  name = "AuditEvents1734250000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await createAuditEventsTable(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropAuditEventsTable(queryRunner);
  }
}
