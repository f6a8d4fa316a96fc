import type { FunctionDefinition } from "./function-definition";

/**
 * Running state for partner insights: `member_earn_months` holds one row per member, partner and UTC
 * calendar month in which the member made a purchase there (the month of the purchase's time, so a
 * late purchase lands in its own month). Kept by a statement trigger on `purchases`, so every path
 * that records a purchase (record_purchases, the seeder outside replica mode) keeps it; insights read
 * these rows, never the history. A refund leaves the row: the member did make a purchase that month.
 * Installed by the EarnMonths migration; test/ledger-sql.test.ts fails while the database's function
 * differs from this definition, and `ledger:verify` checks the rows against the purchases.
 */
export const EARN_MONTH_SQL = (earnedAt: string) => `date_trunc('month', ${earnedAt} AT TIME ZONE 'UTC')::date`;

export const PURCHASES_NOTE_EARN_MONTHS: FunctionDefinition = {
  name: "purchases_note_earn_months",
  arguments: "",
  returns: "trigger",
  language: "plpgsql",
  body: `
    BEGIN
      INSERT INTO member_earn_months (month, member_id, partner_id)
      SELECT DISTINCT ${EARN_MONTH_SQL("earned_at")}, member_id, partner_id FROM new_rows ORDER BY 1, 2, 3
      ON CONFLICT DO NOTHING;
      RETURN NULL;
    END `,
};
