import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Members' data rights (issue 18):
 * - `partner_account_history`: every link made, approved or ended, written by a trigger on
 *   partner_accounts so that every path (linkPartnerAccount, the till's enrolment, approval, unlink,
 *   erasure) records it; part of a member's data export;
 * - `member_erasures`: the erasure saga's state, one row per erased member (no personal data: the
 *   member row itself is deleted). `completed_at` is null until the ledger has forfeited the points.
 *
 * down() reverts exactly this: drops the triggers, their function and both tables.
 */
export class MemberDataRights1734200000000 implements MigrationInterface {
  name = "MemberDataRights1734200000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE partner_account_history (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        member_id uuid NOT NULL,
        partner_id uuid NOT NULL,
        event text NOT NULL CHECK (event IN ('LINKED', 'APPROVED', 'ENDED')),
        external_id text NOT NULL,
        status text NOT NULL,
        at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await queryRunner.query(`CREATE INDEX partner_account_history_member_idx ON partner_account_history (member_id, id)`);
    // Statement-level, with transition tables: a bulk write (the seeders) records its links in one INSERT.
    await queryRunner.query(`
      CREATE FUNCTION partner_account_history_record() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO partner_account_history (member_id, partner_id, event, external_id, status)
          SELECT member_id, partner_id, 'LINKED', external_id, status FROM new_rows ORDER BY member_id, partner_id;
        ELSIF TG_OP = 'UPDATE' THEN
          INSERT INTO partner_account_history (member_id, partner_id, event, external_id, status)
          SELECT n.member_id, n.partner_id, 'APPROVED', n.external_id, n.status
          FROM new_rows n JOIN old_rows o USING (member_id, partner_id) WHERE n.status IS DISTINCT FROM o.status ORDER BY n.member_id, n.partner_id;
        ELSE
          INSERT INTO partner_account_history (member_id, partner_id, event, external_id, status)
          SELECT member_id, partner_id, 'ENDED', external_id, status FROM old_rows ORDER BY member_id, partner_id;
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER partner_accounts_history_insert AFTER INSERT ON partner_accounts REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION partner_account_history_record()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER partner_accounts_history_update AFTER UPDATE ON partner_accounts REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION partner_account_history_record()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER partner_accounts_history_delete AFTER DELETE ON partner_accounts REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION partner_account_history_record()`,
    );
    await queryRunner.query(`
      CREATE TABLE member_erasures (
        member_id uuid PRIMARY KEY,
        requested_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX member_erasures_open_idx ON member_erasures (requested_at) WHERE completed_at IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE member_erasures`);
    for (const op of ["insert", "update", "delete"]) await queryRunner.query(`DROP TRIGGER partner_accounts_history_${op} ON partner_accounts`);
    await queryRunner.query(`DROP FUNCTION partner_account_history_record()`);
    await queryRunner.query(`DROP TABLE partner_account_history`);
  }
}
