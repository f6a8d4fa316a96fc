import type { MigrationInterface, QueryRunner } from "typeorm";
import {
  APPLY_CAMPAIGN_BONUSES_BEFORE_AWARD_GUARDS,
  APPLY_CAMPAIGN_BONUSES_BEFORE_ISSUE_PRICE_IN_PLACE,
  RECORD_PURCHASES_BEFORE_ISSUE_PRICE_IN_PLACE,
  RECORD_PURCHASES_BEFORE_TERMS_AFTER_WRITERS,
  installFunction,
} from "../sql";

/**
 * `record_purchases` and `apply_campaign_bonuses` read each lot's issue price in place
 * (sql/clearing.ts `issuePriceAtSql`, the expression `clearing_issue_price` itself returns) instead of
 * calling `clearing_issue_price` once per lot: a SQL function with a sub-select is not inlined, so
 * Postgres planned each call anew, about 15 times a group of purchases with the bench's campaigns.
 * Same prices; lots already written are not changed.
 *
 * down() reverts exactly this: the definitions MemberErasures1734210000000 and
 * CrossBrandEarned1734340000000 installed.
 */
export class IssuePriceInPlace1734700000000 implements MigrationInterface {
  name = "IssuePriceInPlace1734700000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    // The definitions as this migration installed them (the later migrations install today's).
    await installFunction(queryRunner, RECORD_PURCHASES_BEFORE_TERMS_AFTER_WRITERS);
    await installFunction(queryRunner, APPLY_CAMPAIGN_BONUSES_BEFORE_AWARD_GUARDS);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await installFunction(queryRunner, APPLY_CAMPAIGN_BONUSES_BEFORE_ISSUE_PRICE_IN_PLACE);
    await installFunction(queryRunner, RECORD_PURCHASES_BEFORE_ISSUE_PRICE_IN_PLACE);
  }
}
