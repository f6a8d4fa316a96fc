import type { MigrationInterface, QueryRunner } from "typeorm";
import { admitErasedRequestIds, refuseErasedRequestIds } from "../../../../shared/src/audit/audit-table";

/**
 * A member's erasure left the text callers chose in the catalog: the member app's redemption keys
 * (`redemptions.idempotency_key`), the request ids of their cancellations and audit lines. The erasure
 * saga now has a catalog step (`eraseMemberText`, member-data/erasure.service.ts) that records the
 * erasure here (`member_erasures`: the id and when, nothing else) and replaces those texts by their
 * digests; the audit trail admits that one change for an id recorded here
 * (shared/src/audit/audit-table.ts admitErasedRequestIds). The catalog never knew who was erased
 * before: members erased before this migration keep their texts here (README, Members' data).
 *
 * down() drops the table and reverts the trigger (the texts replaced stay replaced).
 */
export class CallerTextErased1734960000002 implements MigrationInterface {
  name = "CallerTextErased1734960000002";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE member_erasures (member_id uuid PRIMARY KEY, erased_at timestamptz NOT NULL DEFAULT now())`);
    await admitErasedRequestIds(queryRunner, "member_erasures");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await refuseErasedRequestIds(queryRunner);
    await queryRunner.query(`DROP TABLE member_erasures`);
  }
}
