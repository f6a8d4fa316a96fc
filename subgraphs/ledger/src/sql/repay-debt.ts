import type { FunctionDefinition } from "./function-definition";

/**
 * `repay_debt_in_time_order`: the one definition of how a member's debt is repaid from the points that
 * became spendable since their last write (rules/debt.ts), called under the member's lock by every
 * writer: lockMembers (journal/journal.ts) and record_purchases, before its purchases repay anything.
 * In the order it happened: lots past their expiry that the expiry run has not posted yet first get
 * their turn as of the instant before each expired (they were spendable then, and points that became
 * spendable earlier repay first), then what is spendable at `p_now`; at each instant, the lots that
 * were spendable and unexpired then, in the order they became spendable (a refund that left a debt
 * took every spendable point there was, so these became spendable since). No posting: the balance
 * already carries the debt. Returns the debt left.
 */
const repayAsOf = (at: string) => `
    WITH spendable AS (
      SELECT l.id, l.remaining, sum(l.remaining) OVER (ORDER BY l.available_at, l.id) - l.remaining AS before
      FROM lots l WHERE l.member_id = p_member AND l.remaining > 0 AND l.available_at <= ${at} AND l.expires_at > ${at}
    ), taken AS (
      SELECT s.id, least(s.remaining, v_debt - s.before) AS taken FROM spendable s WHERE s.before < v_debt
    ), updated AS (
      UPDATE lots l SET remaining = l.remaining - taken.taken FROM taken WHERE l.id = taken.id RETURNING taken.taken
    )
    UPDATE accounts a SET debt = a.debt - (SELECT coalesce(sum(u.taken), 0) FROM updated u)
    WHERE a.kind = 'MEMBER' AND a.owner_id = p_member RETURNING a.debt INTO v_debt;`;

export const REPAY_DEBT_IN_TIME_ORDER: FunctionDefinition = {
  name: "repay_debt_in_time_order",
  arguments: "p_member uuid, p_now timestamp with time zone",
  returns: "bigint",
  language: "plpgsql",
  body: `
DECLARE
  v_debt bigint;
  v_at timestamptz;
BEGIN
  SELECT coalesce(a.debt, 0) INTO v_debt FROM accounts a WHERE a.kind = 'MEMBER' AND a.owner_id = p_member;
  FOR v_at IN
    SELECT DISTINCT l.expires_at - interval '1 millisecond' FROM lots l
    WHERE l.member_id = p_member AND l.remaining > 0 AND l.expires_at <= p_now ORDER BY 1
  LOOP
    EXIT WHEN v_debt <= 0;${repayAsOf("v_at")}
  END LOOP;
  IF v_debt > 0 THEN${repayAsOf("p_now")}
  END IF;
  RETURN coalesce(v_debt, 0);
END `,
};
