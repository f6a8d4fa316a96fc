import type { MigrationInterface, QueryRunner } from "typeorm";
import { digestRequestIdsAfterErasure, keepRequestIdsAfterErasure } from "../../../../shared/src/audit/audit-table";

/**
 * The erasure replaced the request ids of the member's audit lines by their digests, but a line written
 * about the member afterwards kept its request id in the clear (a text the caller chose). Each such line
 * now gets the digest on insert (shared/src/audit/audit-table.ts digestRequestIdsAfterErasure). Lines
 * written between an erasure and this migration keep their text (README, Members' data).
 *
 * down() drops the trigger (the request ids replaced stay replaced).
 */
export class AuditLinesAfterErasure1734960000004 implements MigrationInterface {
  name = "AuditLinesAfterErasure1734960000004";

  async up(queryRunner: QueryRunner): Promise<void> {
    await digestRequestIdsAfterErasure(queryRunner, "member_erasures");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await keepRequestIdsAfterErasure(queryRunner);
  }
}
