import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Members' data rights (issue 18):
 * - `partner_account_history`: every link made, approved or ended, written by a trigger on
 *   partner_accounts so that every path (linkPartnerAccount, the till's enrolment, approval, unlink,
 *   erasure) records it; part of a member's data export;
 * - `member_erasures`: the erasure saga's state, one row per erased member (no personal data: the
 *   member row itself is deleted). `completed_at` is null until the ledger has forfeited the points.
 *
 * down() reverts exactly this: drops the trigger, its function and both tables.
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
    await queryRunner.query(`
      CREATE FUNCTION partner_account_history_record() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO partner_account_history (member_id, partner_id, event, external_id, status) VALUES (NEW.member_id, NEW.partner_id, 'LINKED', NEW.external_id, NEW.status);
        ELSIF TG_OP = 'UPDATE' THEN
          IF NEW.status IS DISTINCT FROM OLD.status THEN
            INSERT INTO partner_account_history (member_id, partner_id, event, external_id, status) VALUES (NEW.member_id, NEW.partner_id, 'APPROVED', NEW.external_id, NEW.status);
          END IF;
        ELSE
          INSERT INTO partner_account_history (member_id, partner_id, event, external_id, status) VALUES (OLD.member_id, OLD.partner_id, 'ENDED', OLD.external_id, OLD.status);
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER partner_accounts_history AFTER INSERT OR UPDATE OR DELETE ON partner_accounts FOR EACH ROW EXECUTE FUNCTION partner_account_history_record()`,
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
    await queryRunner.query(`DROP TRIGGER partner_accounts_history ON partner_accounts`);
    await queryRunner.query(`DROP FUNCTION partner_account_history_record()`);
    await queryRunner.query(`DROP TABLE partner_account_history`);
  }
}
