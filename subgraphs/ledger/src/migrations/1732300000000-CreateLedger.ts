import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Double-entry ledger. `transactions` and `postings` are append-only history. Everything else is
 * running state kept in the same database transaction as the postings, so reads never scan history:
 * account balances (and a member's debt), lots of points with their expiry, per-partner totals,
 * daily qualifying buckets, refunds per purchase and transfers per day.
 */
export class CreateLedger1732300000000 implements MigrationInterface {
  name = "CreateLedger1732300000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE accounts (
        id bigserial PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('MEMBER','PARTNER_ISSUANCE','PARTNER_REDEMPTION','PARTNER_BREAKAGE')),
        owner_id uuid NOT NULL,
        balance bigint NOT NULL DEFAULT 0,
        -- Member accounts only: points clawed back by refunds after they were spent, repaid by the next earn.
        debt bigint NOT NULL DEFAULT 0 CHECK (debt >= 0),
        CONSTRAINT accounts_kind_owner_key UNIQUE (kind, owner_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE transactions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('EARN','REDEEM','TRANSFER','EXPIRY','REVERSAL','ADJUSTMENT')),
        idempotency_key text NOT NULL CONSTRAINT transactions_idempotency_key_key UNIQUE,
        fingerprint text NOT NULL,
        partner_id uuid,
        reference text,
        occurred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE postings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        transaction_id uuid NOT NULL REFERENCES transactions (id),
        account_id bigint NOT NULL REFERENCES accounts (id),
        amount bigint NOT NULL,
        occurred_at timestamptz NOT NULL,
        -- Set on postings to member accounts: they are the member's ledger entries.
        member_id uuid,
        entry_kind text CHECK (entry_kind IN ('EARN','REDEEM','TRANSFER_IN','TRANSFER_OUT','EXPIRY','REVERSAL','ADJUSTMENT')),
        CHECK ((member_id IS NULL) = (entry_kind IS NULL))
      )`);
    // History is append-only, enforced by the database itself: a correction is a new transaction.
    await queryRunner.query(`
      CREATE FUNCTION ledger_history_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'ledger history is append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME;
      END $$`);
    for (const table of ["transactions", "postings"]) {
      await queryRunner.query(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION ledger_history_is_append_only()`);
      await queryRunner.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION ledger_history_is_append_only()`);
    }
    await queryRunner.query(`CREATE INDEX postings_transaction_idx ON postings (transaction_id)`);
    await queryRunner.query(`CREATE INDEX postings_account_time_idx ON postings (account_id, occurred_at)`);
    await queryRunner.query(`CREATE INDEX postings_member_activity_idx ON postings (member_id, occurred_at DESC, seq DESC) WHERE member_id IS NOT NULL`);
    await queryRunner.query(`
      CREATE TABLE lots (
        id bigserial PRIMARY KEY,
        transaction_id uuid NOT NULL REFERENCES transactions (id),
        member_id uuid NOT NULL,
        -- The partner that issued these points (for transfers: of the lot they came from).
        partner_id uuid NOT NULL,
        source text NOT NULL CHECK (source IN ('EARN','TRANSFER')),
        points int NOT NULL CHECK (points > 0),
        remaining int NOT NULL CHECK (remaining BETWEEN 0 AND points),
        earned_at timestamptz NOT NULL,
        available_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX lots_pending_idx ON lots (member_id, available_at)`);
    await queryRunner.query(`CREATE INDEX lots_open_expiry_idx ON lots (member_id, expires_at) WHERE remaining > 0`);
    await queryRunner.query(`CREATE INDEX lots_due_idx ON lots (expires_at) WHERE remaining > 0`);
    await queryRunner.query(`CREATE INDEX lots_partner_idx ON lots (partner_id) WHERE remaining > 0`);
    await queryRunner.query(`
      CREATE TABLE purchases (
        transaction_id uuid PRIMARY KEY REFERENCES transactions (id),
        member_id uuid NOT NULL,
        partner_id uuid NOT NULL,
        amount_minor bigint NOT NULL CHECK (amount_minor > 0),
        refunded_minor bigint NOT NULL DEFAULT 0 CHECK (refunded_minor BETWEEN 0 AND amount_minor),
        -- All points earned (base + tier bonus) and the base part, which alone counts toward tier.
        points int NOT NULL CHECK (points >= 0),
        base_points int NOT NULL CHECK (base_points BETWEEN 0 AND points),
        reversed_points int NOT NULL DEFAULT 0 CHECK (reversed_points BETWEEN 0 AND points),
        reversed_base_points int NOT NULL DEFAULT 0 CHECK (reversed_base_points BETWEEN 0 AND base_points),
        earned_at timestamptz NOT NULL,
        available_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX purchases_pending_idx ON purchases (member_id, available_at)`);
    await queryRunner.query(`
      CREATE TABLE member_partner_points (
        member_id uuid NOT NULL,
        partner_id uuid NOT NULL,
        earned bigint NOT NULL DEFAULT 0,
        redeemed bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (member_id, partner_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE qualifying_points (
        member_id uuid NOT NULL,
        day date NOT NULL,
        points bigint NOT NULL,
        PRIMARY KEY (member_id, day)
      )`);
    await queryRunner.query(`
      CREATE TABLE transfer_days (
        member_id uuid NOT NULL,
        day date NOT NULL,
        points bigint NOT NULL,
        PRIMARY KEY (member_id, day)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ["transfer_days", "qualifying_points", "member_partner_points", "purchases", "lots", "postings", "transactions", "accounts"]) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
    await queryRunner.query(`DROP FUNCTION ledger_history_is_append_only()`);
  }
}
