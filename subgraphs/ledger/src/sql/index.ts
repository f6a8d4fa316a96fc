import type { QueryRunner } from "typeorm";
import { APPLY_CAMPAIGN_BONUSES } from "./campaign-bonuses";
import { POST_BONUS } from "./referral-bonuses";
import { PURCHASES_NOTE_EARN_MONTHS } from "./earn-months";
import { LOTS_MOVE_PENDING_DAYS, PURCHASES_MOVE_PENDING_DAYS } from "./pending-days";
import { CLEARING_FUNCTIONS } from "./clearing";
import { type FunctionDefinition, createFunctionSql } from "./function-definition";
import { RECORD_PURCHASES } from "./record-purchases";
import { REPAY_DEBT_IN_TIME_ORDER } from "./repay-debt";

export { type FunctionDefinition, createFunctionSql, replaceFunctionSql } from "./function-definition";
export { RECORD_PURCHASES, RECORD_PURCHASES_BEFORE_CAMPAIGNS, RECORD_PURCHASES_BEFORE_DEBTS_IN_TIME_ORDER, RECORD_PURCHASES_BEFORE_PENDING_WITHIN_CAP, RECORD_PURCHASES_BEFORE_REFERRERS_LOCKED_WITH_MEMBERS, RECORD_PURCHASES_BEFORE_ERASURES, RECORD_PURCHASES_BEFORE_ISSUE_PRICE_IN_PLACE, RECORD_PURCHASES_BEFORE_TERMS_AFTER_WRITERS, RECORD_PURCHASES_UNPRICED } from "./record-purchases";
export { APPLY_CAMPAIGN_BONUSES, APPLY_CAMPAIGN_BONUSES_CALL } from "./campaign-bonuses";
export { POST_BONUS } from "./referral-bonuses";
export { REPAY_DEBT_IN_TIME_ORDER } from "./repay-debt";
export { APPLY_CAMPAIGN_BONUSES_ANY_SCAN, APPLY_CAMPAIGN_BONUSES_BEFORE_AWARD_GUARDS, APPLY_CAMPAIGN_BONUSES_BEFORE_DEBTS_IN_TIME_ORDER, APPLY_CAMPAIGN_BONUSES_BEFORE_ENDS_UNDER_LOCK, APPLY_CAMPAIGN_BONUSES_BEFORE_PENDING_WITHIN_CAP, APPLY_CAMPAIGN_BONUSES_BEFORE_CROSS_BRAND_EARNED, APPLY_CAMPAIGN_BONUSES_BEFORE_ISSUE_PRICE_IN_PLACE, APPLY_CAMPAIGN_BONUSES_BEFORE_PREPAID_FUNDERS, APPLY_CAMPAIGN_BONUSES_BEFORE_REFERRAL_GUARDS, APPLY_CAMPAIGN_BONUSES_MATCHED_AS_ANDS, APPLY_CAMPAIGN_BONUSES_ONE_BY_ONE, APPLY_CAMPAIGN_BONUSES_TOTALS_ON_CAMPAIGNS } from "./campaign-bonuses-earlier";
export { CLEARING_FUNCTIONS, CLEARING_FUNCTIONS_AS_FIRST_INSTALLED, CLEARING_LOCK_KEY, CLEARING_PRICE_LOT, CLEARING_PRICE_LOT_AS_FIRST_INSTALLED, CLEARING_VALUE_POSTINGS, CLEARING_VALUE_POSTINGS_AS_FIRST_INSTALLED, CLEARING_VALUE_POSTINGS_BEFORE_ADJUSTMENTS_TAKE_NOTHING_BACK, CLEARING_VALUE_POSTINGS_BEFORE_FORFEITS } from "./clearing";

/** Every database function that encodes a rule, in its current definition: the database must match each (test/ledger-sql.test.ts). */
export const LEDGER_FUNCTIONS: readonly FunctionDefinition[] = [RECORD_PURCHASES, REPAY_DEBT_IN_TIME_ORDER, LOTS_MOVE_PENDING_DAYS, PURCHASES_MOVE_PENDING_DAYS, PURCHASES_NOTE_EARN_MONTHS, APPLY_CAMPAIGN_BONUSES, POST_BONUS, ...CLEARING_FUNCTIONS];

/** Drops a function by name (whatever its arguments were) and creates the given definition: for migrations. */
export async function installFunction(queryRunner: QueryRunner, definition: FunctionDefinition): Promise<void> {
  await queryRunner.query(`DROP FUNCTION IF EXISTS ${definition.name}`);
  await queryRunner.query(createFunctionSql(definition));
}
