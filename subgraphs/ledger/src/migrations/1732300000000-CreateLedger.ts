import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Double-entry ledger. `transactions` and `postings` are append-only history; `accounts.balance`,
 * `earn_lots.remaining`, `member_partner_points` and `qualifying_points` are running state kept in the
 * same database transaction as the postings, so reads never scan history.
 */
export class CreateLedger1732300000000 implements MigrationInterface {
  name = "CreateLedger1732300000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE accounts (
        id bigserial PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('MEMBER','PARTNER_ISSUANCE','PARTNER_REDEMPTION')),
        owner_id uuid NOT NULL,
        balance bigint NOT NULL DEFAULT 0,
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
        transaction_id uuid NOT NULL REFERENCES transactions (id),
        account_id bigint NOT NULL REFERENCES accounts (id),
        amount bigint NOT NULL,
        -- Set on postings to member accounts: they are the member's ledger entries.
        member_id uuid,
        entry_kind text CHECK (entry_kind IN ('EARN','REDEEM','TRANSFER_IN','TRANSFER_OUT','EXPIRY','REVERSAL','ADJUSTMENT')),
        CHECK ((member_id IS NULL) = (entry_kind IS NULL))
      )`);
    await queryRunner.query(`CREATE INDEX postings_transaction_idx ON postings (transaction_id)`);
    await queryRunner.query(`CREATE INDEX postings_account_idx ON postings (account_id)`);
    await queryRunner.query(`CREATE INDEX postings_member_idx ON postings (member_id) WHERE member_id IS NOT NULL`);
    await queryRunner.query(`
      CREATE TABLE earn_lots (
        transaction_id uuid PRIMARY KEY REFERENCES transactions (id),
        member_id uuid NOT NULL,
        partner_id uuid NOT NULL,
        points int NOT NULL CHECK (points > 0),
        remaining int NOT NULL CHECK (remaining BETWEEN 0 AND points),
        earned_at timestamptz NOT NULL,
        available_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX earn_lots_pending_idx ON earn_lots (member_id, available_at)`);
    await queryRunner.query(`CREATE INDEX earn_lots_open_idx ON earn_lots (member_id, earned_at) WHERE remaining > 0`);
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
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ["qualifying_points", "member_partner_points", "earn_lots", "postings", "transactions", "accounts"]) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}
