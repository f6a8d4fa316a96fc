import type { MigrationInterface, QueryRunner } from "typeorm";
import { CLEARING_FUNCTIONS_AS_FIRST_INSTALLED, RECORD_PURCHASES_BEFORE_CAMPAIGNS, RECORD_PURCHASES_UNPRICED, createFunctionSql, installFunction } from "../sql";

/**
 * The clearing house (README, "The clearing house"): partner terms, the price recorded with every
 * movement, running totals per period, partner and line, the issuer × redeemer matrix, prepaid
 * allowances and closed (immutable, hash-chained) statements. The valuation trigger functions are
 * generated from rules/clearing.ts (sql/clearing.ts).
 *
 * History already in the ledger is counted into the totals by period (points only: there were no
 * terms, so every price is 0), so statements and verify agree from the first day.
 *
 * down() reverts exactly this: drops the triggers, functions, tables and columns it added and
 * re-installs the record_purchases of RecordPurchasesFromRules1733400000000.
 */
export class ClearingHouse1734000000000 implements MigrationInterface {
  name = "ClearingHouse1734000000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(`
      CREATE TABLE partner_terms (
        partner_id uuid NOT NULL,
        version integer NOT NULL CHECK (version > 0),
        effective_from timestamptz NOT NULL,
        issue_price_per_1000 bigint NOT NULL CHECK (issue_price_per_1000 BETWEEN 0 AND 100000000),
        redemption_price_per_1000 bigint NOT NULL CHECK (redemption_price_per_1000 BETWEEN 0 AND 100000000),
        breakage_share_percent integer NOT NULL CHECK (breakage_share_percent BETWEEN 0 AND 100),
        billing text NOT NULL CHECK (billing IN ('POSTPAID', 'PREPAID')),
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (partner_id, version),
        UNIQUE (partner_id, effective_from)
      )`);
    // When the ledger wrote a transaction (its clock): the period it belongs to. NULL on older rows (their occurred_at).
    await q(`ALTER TABLE transactions ADD COLUMN posted_at timestamptz, ADD COLUMN expired_lot_id bigint REFERENCES lots (id)`);
    // The issue price a lot's points were charged at (a transferred or returned lot keeps its origin's). NULL on older rows: 0.
    await q(`ALTER TABLE lots ADD COLUMN issue_price_per_1000 bigint`);
    await q(`
      CREATE TABLE clearing_totals (
        period date NOT NULL,
        partner_id uuid NOT NULL,
        line text NOT NULL,
        points bigint NOT NULL DEFAULT 0,
        -- Exact: points × price per 1,000 × percent, in 1/100,000 minor units (rules/clearing.ts).
        value numeric NOT NULL DEFAULT 0,
        -- The same points at the full price they were charged at (liability).
        charged_value numeric NOT NULL DEFAULT 0,
        PRIMARY KEY (period, partner_id, line)
      )`);
    await q(`
      CREATE TABLE clearing_matrix (
        period date NOT NULL,
        issuer_id uuid NOT NULL,
        redeemer_id uuid NOT NULL,
        points bigint NOT NULL DEFAULT 0,
        charged_value numeric NOT NULL DEFAULT 0,
        PRIMARY KEY (period, issuer_id, redeemer_id)
      )`);
    // Liability reads one issuer's totals over every period (updates stay HOT: no indexed column changes).
    await q(`CREATE INDEX clearing_totals_partner_idx ON clearing_totals (partner_id, period)`);
    await q(`CREATE INDEX clearing_matrix_issuer_idx ON clearing_matrix (issuer_id, period)`);
    await q(`
      CREATE TABLE movement_prices (
        transaction_id uuid NOT NULL REFERENCES transactions (id),
        partner_id uuid NOT NULL,
        line text NOT NULL,
        price_per_1000 bigint NOT NULL,
        share_percent integer NOT NULL,
        PRIMARY KEY (transaction_id, partner_id, line)
      )`);
    await q(`CREATE TABLE prepaid_allowances (partner_id uuid PRIMARY KEY, remaining bigint NOT NULL DEFAULT 0)`);
    await q(`
      CREATE TABLE prepaid_top_ups (
        partner_id uuid NOT NULL,
        reference text NOT NULL,
        points bigint NOT NULL CHECK (points > 0),
        recorded_at timestamptz NOT NULL,
        PRIMARY KEY (partner_id, reference)
      )`);
    await q(`
      CREATE TABLE settlement_periods (
        period date PRIMARY KEY,
        closed_at timestamptz NOT NULL,
        content text NOT NULL,
        previous_hash text NOT NULL,
        hash text NOT NULL
      )`);
    await q(`
      CREATE TABLE settlement_statements (
        number bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        period date NOT NULL REFERENCES settlement_periods (period) DEFERRABLE INITIALLY DEFERRED,
        partner_id uuid NOT NULL,
        content text NOT NULL,
        previous_hash text NOT NULL,
        hash text NOT NULL,
        PRIMARY KEY (partner_id, period)
      )`);
    for (const table of ["partner_terms", "movement_prices", "prepaid_top_ups", "settlement_periods", "settlement_statements"]) {
      await q(`CREATE TRIGGER ${table}_append_only BEFORE DELETE OR UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION ledger_history_is_append_only()`);
      await q(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION ledger_history_is_append_only()`);
    }
    // As first installed (ReversalsAsCharged1734330000000 installs the valuation again).
    for (const f of CLEARING_FUNCTIONS_AS_FIRST_INSTALLED) await q(createFunctionSql(f));
    // Priced, as it stood before the later migrations that install it again (Campaigns1734100000000, MemberErasures1734210000000).
    await installFunction(queryRunner, RECORD_PURCHASES_BEFORE_CAMPAIGNS);

    // History so far, by period, at price 0 (no terms existed): the trigger's own classification.
    await backfillTotals(queryRunner);
    // Adds to the rows the backfill's cancellations wrote (a redemption cancelled in the month it was
    // made has the same period, issuer and redeemer): a plain INSERT failed on them with a duplicate key,
    // so this migration could not run on any database with such a cancellation. Databases it ran on
    // had none, so for them the result is the same.
    await q(`
      INSERT INTO clearing_matrix AS cm (period, issuer_id, redeemer_id, points)
      SELECT date_trunc('month', t.occurred_at AT TIME ZONE 'UTC')::date, l.partner_id, t.partner_id, sum(lt.points)
      FROM lot_takes lt JOIN lots l ON l.id = lt.lot_id JOIN transactions t ON t.id = lt.transaction_id
      WHERE t.kind = 'REDEEM' AND t.partner_id IS NOT NULL GROUP BY 1, 2, 3
      ON CONFLICT (period, issuer_id, redeemer_id) DO UPDATE SET points = cm.points + EXCLUDED.points`);
    await q(`
      CREATE TRIGGER postings_clearing AFTER INSERT ON postings REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION clearing_value_postings()`);
    await q(`
      CREATE TRIGGER lot_takes_clearing AFTER INSERT ON lot_takes REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION clearing_match_lot_takes()`);
    await q(`
      CREATE TRIGGER lots_clearing_price BEFORE INSERT ON lots
      FOR EACH ROW WHEN (NEW.issue_price_per_1000 IS NULL) EXECUTE FUNCTION clearing_price_lot()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(`DROP TRIGGER lots_clearing_price ON lots`);
    await q(`DROP TRIGGER lot_takes_clearing ON lot_takes`);
    await q(`DROP TRIGGER postings_clearing ON postings`);
    await installFunction(queryRunner, RECORD_PURCHASES_UNPRICED);
    for (const f of [...CLEARING_FUNCTIONS_AS_FIRST_INSTALLED].reverse()) await q(`DROP FUNCTION ${f.name}`);
    await q(`DROP TABLE settlement_statements, settlement_periods, prepaid_top_ups, prepaid_allowances, movement_prices, clearing_matrix, clearing_totals, partner_terms`);
    await q(`ALTER TABLE lots DROP COLUMN issue_price_per_1000`);
    await q(`ALTER TABLE transactions DROP COLUMN expired_lot_id, DROP COLUMN posted_at`);
  }
}

/**
 * Counts the history into clearing_totals with the trigger function's own classification: its body,
 * run once with `new_rows` (its transition table's name) bound to a temporary copy of the history.
 */
async function backfillTotals(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.query(`CREATE TEMP TABLE new_rows AS SELECT * FROM postings WHERE member_id IS NULL`);
  const body = CLEARING_FUNCTIONS_AS_FIRST_INSTALLED.find((f) => f.name === "clearing_value_postings")!.body;
  await queryRunner.query(`DO $backfill$${body.replace("RETURN NULL;", "")}$backfill$`);
  await queryRunner.query(`DROP TABLE new_rows`);
}
