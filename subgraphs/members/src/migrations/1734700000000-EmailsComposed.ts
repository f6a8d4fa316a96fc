import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Email addresses in Unicode's composed form (NFC), as `normalizeEmail` now writes and looks them up:
 * `josé@…` typed with one é and with e plus a combining accent were two addresses, two members (an
 * outside review). Stored addresses are rewritten to that form, except where it would meet another
 * member's (a pair enrolled before this: the first keeps the address, the other keeps its spelling,
 * found only as typed). normalize() needs a UTF8 database; on another encoding nothing is rewritten.
 *
 * down() reverts nothing: the spellings before are not kept (both forms are the same address).
 */
export class EmailsComposed1734700000000 implements MigrationInterface {
  name = "EmailsComposed1734700000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    const [{ server_encoding: encoding }] = await queryRunner.query(`SHOW server_encoding`);
    if (encoding !== "UTF8") return;
    await queryRunner.query(`
      UPDATE members m SET email = normalize(m.email, NFC)
      WHERE m.id IN (
        SELECT DISTINCT ON (normalize(x.email, NFC)) x.id FROM members x
        WHERE x.email IS NOT NFC NORMALIZED AND NOT EXISTS (SELECT FROM members o WHERE o.email = normalize(x.email, NFC))
        ORDER BY normalize(x.email, NFC), x.enrolled_at, x.id)`);
  }

  async down(): Promise<void> {}
}
