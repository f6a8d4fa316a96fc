import type { MigrationInterface, QueryRunner } from "typeorm";
import { admitErasedRequestIds, eraseRequestIdsSql, refuseErasedRequestIds } from "../../../../shared/src/audit/audit-table";

/**
 * The request ids (`x-request-id`, text the caller chose) of an erased member's audit lines stayed
 * readable after the erasure. The audit trail now admits one change: such a line's request id replaced
 * by its digest (shared/src/audit/audit-table.ts admitErasedRequestIds), for a member in
 * `member_erasures` only; the erasure's step 1 makes it (member-data/erasure.saga.ts). The lines of
 * members erased before this migration are changed here.
 *
 * down() reverts the trigger (the request ids replaced stay replaced).
 */
export class CallerTextErased1734960000001 implements MigrationInterface {
  name = "CallerTextErased1734960000001";

  async up(queryRunner: QueryRunner): Promise<void> {
    await admitErasedRequestIds(queryRunner, "member_erasures");
    await queryRunner.query(eraseRequestIdsSql(`ANY (SELECT member_id FROM member_erasures)`));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await refuseErasedRequestIds(queryRunner);
  }
}
