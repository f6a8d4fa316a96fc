import type { DataSource, QueryRunner } from "typeorm";
import { ERASED_TEXT_PATTERN, erasedTextSql, erasingTextSql } from "../member-data/erased-text";

/**
 * The `audit_events` table, the same in every service's database (each service's migration calls
 * these, so the four tables cannot drift apart). Append-only, enforced by the database: a trigger
 * refuses UPDATE, DELETE and TRUNCATE.
 */
export async function createAuditEventsTable(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.query(`
    CREATE TABLE audit_events (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      occurred_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      actor text NOT NULL CHECK (length(actor) BETWEEN 1 AND 200),
      action text NOT NULL CHECK (length(action) BETWEEN 1 AND 100),
      member_id uuid,
      partner_id uuid,
      target_id text CHECK (length(target_id) <= 200),
      request_id text CHECK (length(request_id) <= 128),
      outcome text NOT NULL CHECK (outcome IN ('SUCCEEDED', 'FAILED')),
      -- A FAILED line's error code (extensions.code), e.g. FORBIDDEN; null on SUCCEEDED lines.
      error_code text CHECK (length(error_code) <= 50),
      CHECK ((outcome = 'FAILED') = (error_code IS NOT NULL))
    )`);
  await queryRunner.query(`
    CREATE FUNCTION audit_events_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'the audit trail is append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME;
    END $$`);
  await queryRunner.query(`CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_are_append_only()`);
  await queryRunner.query(`CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events FOR EACH STATEMENT EXECUTE FUNCTION audit_events_are_append_only()`);
  // Pages are newest first, optionally for one member, partner or actor.
  await queryRunner.query(`CREATE INDEX audit_events_time_idx ON audit_events (occurred_at DESC, id DESC)`);
  await queryRunner.query(`CREATE INDEX audit_events_member_idx ON audit_events (member_id, occurred_at DESC, id DESC) WHERE member_id IS NOT NULL`);
  await queryRunner.query(`CREATE INDEX audit_events_partner_idx ON audit_events (partner_id, occurred_at DESC, id DESC) WHERE partner_id IS NOT NULL`);
  await queryRunner.query(`CREATE INDEX audit_events_actor_idx ON audit_events (actor, occurred_at DESC, id DESC)`);
}

/** Reverts createAuditEventsTable. */
export async function dropAuditEventsTable(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.query(`DROP TABLE audit_events`);
  await queryRunner.query(`DROP FUNCTION audit_events_are_append_only()`);
}

/**
 * The one change the audit trail admits (CallerTextErased migrations, 1734960000000+): an erased member's
 * line (its member id in `erasedMembers`, that service's record of erasures) with its request id, a text the
 * caller chose (`x-request-id`), replaced by its digest (shared/src/member-data/erased-text.ts), every other
 * column unchanged. The erasure's step in each service makes it; anything else is refused as before.
 */
export async function admitErasedRequestIds(queryRunner: QueryRunner, erasedMembers: string): Promise<void> {
  await queryRunner.query(`
    CREATE FUNCTION audit_events_append_only_but_erased_request_ids() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      unchanged audit_events;
    BEGIN
      IF TG_OP = 'UPDATE' THEN
        unchanged := NEW;
        unchanged.request_id := OLD.request_id;
        IF unchanged IS NOT DISTINCT FROM OLD
           AND NEW.request_id = ${erasedTextSql("OLD.request_id")}
           AND EXISTS (SELECT 1 FROM ${erasedMembers} e WHERE e.member_id = OLD.member_id) THEN
          RETURN NEW;
        END IF;
      END IF;
      RAISE EXCEPTION 'the audit trail is append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME;
    END $$`);
  await queryRunner.query(`DROP TRIGGER audit_events_append_only ON audit_events`);
  await queryRunner.query(
    `CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_append_only_but_erased_request_ids()`,
  );
}

/** Reverts admitErasedRequestIds (the request ids replaced stay replaced). */
export async function refuseErasedRequestIds(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.query(`DROP TRIGGER audit_events_append_only ON audit_events`);
  await queryRunner.query(`CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_are_append_only()`);
  await queryRunner.query(`DROP FUNCTION audit_events_append_only_but_erased_request_ids()`);
}

/** SQL: the request ids of the lines about the member `memberParam` names replaced by their digests, each once (erased-text.ts). */
export const eraseRequestIdsSql = (memberParam: string) =>
  `UPDATE audit_events SET request_id = ${erasingTextSql("request_id")} WHERE member_id = ${memberParam} AND request_id IS NOT NULL AND request_id !~ '${ERASED_TEXT_PATTERN}'`;

/** How long an erasure's step waits for the transactions open when it committed (eraseLateRequestIds). */
export const LATE_LINES_WAIT_MS = 2_000;

/**
 * The lines a transaction inserted about the member before the erasure was recorded in this database and
 * committed after the step's eraseRequestIdsSql (neither saw the other: the trigger found no erasure, the
 * update not yet the line) keep their request ids. Run after the step has committed: waits until every
 * transaction open in this database then has ended (at most LATE_LINES_WAIT_MS; they are a request's, short),
 * then replaces those request ids too. Lines inserted after the commit get the digest from the trigger
 * (digestRequestIdsAfterErasure). A transaction still open at the limit is not waited for: lines it writes
 * about the member before it commits keep their text (README, Members' data).
 */
export async function eraseLateRequestIds(dataSource: DataSource, memberId: string, waitMs = LATE_LINES_WAIT_MS): Promise<void> {
  // As text: a transaction's start to the microsecond, which a JavaScript Date would round away.
  const open: { pid: number; started: string }[] = await dataSource.query(
    `SELECT pid, xact_start::text AS started FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL`,
  );
  const deadline = Date.now() + waitMs;
  let ended = open.length === 0;
  while (!ended && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const [{ running }] = await dataSource.query(
      `SELECT count(*)::int AS running FROM pg_stat_activity a JOIN unnest($1::int[], $2::text[]) AS o(pid, started) ON a.pid = o.pid AND a.xact_start::text = o.started`,
      [open.map((o) => o.pid), open.map((o) => o.started)],
    );
    ended = running === 0;
  }
  await dataSource.query(eraseRequestIdsSql(`$1::uuid`), [memberId]);
}

/**
 * A line written about a member after their erasure (a partner marking the member's voucher used, a
 * replay refused as NOT_FOUND, an admin reading the id) keeps its request id only as the digest, as
 * the erasure left the earlier lines: a trigger replaces it on insert when the member id is in
 * `erasedMembers` (AuditLinesAfterErasure migrations, 1734960000004+). A line whose transaction
 * commits while the erasure's step runs is left to eraseLateRequestIds.
 */
export async function digestRequestIdsAfterErasure(queryRunner: QueryRunner, erasedMembers: string): Promise<void> {
  await queryRunner.query(`
    CREATE FUNCTION audit_events_digest_erased_request_id() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM ${erasedMembers} e WHERE e.member_id = NEW.member_id) THEN
        NEW.request_id := ${erasingTextSql("NEW.request_id")};
      END IF;
      RETURN NEW;
    END $$`);
  await queryRunner.query(
    `CREATE TRIGGER audit_events_erased_request_id BEFORE INSERT ON audit_events FOR EACH ROW
     WHEN (NEW.member_id IS NOT NULL AND NEW.request_id IS NOT NULL) EXECUTE FUNCTION audit_events_digest_erased_request_id()`,
  );
}

/** Reverts digestRequestIdsAfterErasure (the request ids replaced stay replaced). */
export async function keepRequestIdsAfterErasure(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.query(`DROP TRIGGER audit_events_erased_request_id ON audit_events`);
  await queryRunner.query(`DROP FUNCTION audit_events_digest_erased_request_id()`);
}
