import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The catalog takes part in an erasure since CallerTextErased (its step replaces the member's redemption
 * keys and request ids by their digests, `eraseMemberText`), but erasures finished before it never asked
 * the catalog. Each erasure now records when the catalog's step was done (`catalog_step_at`, null for
 * every erasure finished before this migration), and the sweep (member-data/erasure.saga.ts) finishes an
 * erasure until both are set: those older erasures get the catalog's step on the next sweeps, keeping
 * the time they were completed. The open-erasures index covers both.
 *
 * down() drops the column and puts the index back as MemberDataRights1734200000000 made it.
 */
export class ErasuresCatalogStep1734960000003 implements MigrationInterface {
  name = "ErasuresCatalogStep1734960000003";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE member_erasures ADD COLUMN catalog_step_at timestamptz`);
    await queryRunner.query(`DROP INDEX member_erasures_open_idx`);
    await queryRunner.query(`CREATE INDEX member_erasures_open_idx ON member_erasures (requested_at) WHERE completed_at IS NULL OR catalog_step_at IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX member_erasures_open_idx`);
    await queryRunner.query(`ALTER TABLE member_erasures DROP COLUMN catalog_step_at`);
    await queryRunner.query(`CREATE INDEX member_erasures_open_idx ON member_erasures (requested_at) WHERE completed_at IS NULL`);
  }
}
