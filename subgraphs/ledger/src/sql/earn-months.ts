import type { FunctionDefinition } from "./function-definition";

/**
 * Running state for partner insights: `member_earn_months` holds one row per member, partner and UTC
 * calendar month in which the ledger recorded a purchase of the member there. Kept by a statement
 * trigger on `purchases`, so every path that records a purchase (record_purchases, the seeder outside
 * replica mode) keeps it; insights read these rows, never the history. A refund leaves the row: the
 * member did make a purchase. test/ledger-sql.test.ts fails while the database's function differs
 * from this definition, and `ledger:verify` checks the rows against the purchases.
 */
export const EARN_MONTH_SQL = (earnedAt: string) => `date_trunc('month', ${earnedAt} AT TIME ZONE 'UTC')::date`;

/**
 * A purchase's month for insights, its transaction `t` joined: the month the ledger recorded it in
 * (its posting time; for rows older than the clearing house, which have none, when it was made), as
 * the clearing house's periods. So a month that is over never changes: a late purchase (`occurredAt`
 * in a month already over) counts in the month it is recorded in. Before InsightMonthsAsPosted1734820000000
 * it counted in its own month, and a partner app could learn whether one linked member had bought
 * anywhere in the coalition last month: a one-cent receipt dated then moved last month's
 * `activeMembers` by one exactly when the member had not.
 */
export const INSIGHT_MONTH_SQL = (t: string) => EARN_MONTH_SQL(`coalesce(${t}.posted_at, ${t}.occurred_at)`);

/** As EarnMonths1734250200000 installed it: the month of the purchase's own time (`earned_at`). */
export const PURCHASES_NOTE_EARN_MONTHS_AS_FIRST_INSTALLED: FunctionDefinition = {
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

export const PURCHASES_NOTE_EARN_MONTHS: FunctionDefinition = {
  ...PURCHASES_NOTE_EARN_MONTHS_AS_FIRST_INSTALLED,
  body: `
    BEGIN
      INSERT INTO member_earn_months (month, member_id, partner_id)
      SELECT DISTINCT ${INSIGHT_MONTH_SQL("t")}, n.member_id, n.partner_id FROM new_rows n JOIN transactions t ON t.id = n.transaction_id ORDER BY 1, 2, 3
      ON CONFLICT DO NOTHING;
      RETURN NULL;
    END `,
};

/** Every row `member_earn_months` should hold, from the purchases and their transactions (a migration refills it so; `ledger:verify` compares). */
export const EARN_MONTHS_OF_PURCHASES = `SELECT DISTINCT ${INSIGHT_MONTH_SQL("t")} AS month, p.member_id, p.partner_id FROM purchases p JOIN transactions t ON t.id = p.transaction_id`;
