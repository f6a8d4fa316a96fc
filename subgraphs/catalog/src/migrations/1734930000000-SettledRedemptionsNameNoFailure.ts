import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * A redemption whose ledger answer was lost kept the saga's note (`failure_reason` UPSTREAM_UNAVAILABLE,
 * the reason to fail it with, should it fail) after it completed (an outside review): the API hides it
 * now (Redemption.from) and completing clears it, but rows completed before, and cancelled since, still
 * hold it, and the member's data export reads the column as stored. Only the saga writes the note, on a
 * PENDING row, so a COMPLETED or CANCELLED row never has a failure of its own to keep.
 *
 * down() changes nothing: the notes were wrong, and nothing reads them.
 */
export class SettledRedemptionsNameNoFailure1734930000000 implements MigrationInterface {
  name = "SettledRedemptionsNameNoFailure1734930000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE redemptions SET failure_reason = NULL WHERE status IN ('COMPLETED', 'CANCELLED') AND failure_reason IS NOT NULL`);
  }

  async down(): Promise<void> {}
}
