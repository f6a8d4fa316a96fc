import type { MigrationInterface, QueryRunner } from "typeorm";
import { APPLY_CAMPAIGN_BONUSES_BEFORE_ENDS_UNDER_LOCK, APPLY_CAMPAIGN_BONUSES_BEFORE_PENDING_WITHIN_CAP, RECORD_PURCHASES_BEFORE_PENDING_WITHIN_CAP, RECORD_PURCHASES_BEFORE_REFERRERS_LOCKED_WITH_MEMBERS, installFunction } from "../sql";

/**
 * `pending` stays within Int while a member owes points (an outside review): purchases, their bonuses
 * and referral bonuses, which may arrive pending, may not take what the member holds (the balance plus
 * the debt) past the cap (rules/cap.ts `heldPointsWouldPassCap`). Checked against the balance alone, a
 * member owing 1,000 was given 2,147,484,640 pending points and `balance { pending }` answered
 * INTERNAL_SERVER_ERROR. A purchase so refused is LIMIT_EXCEEDED with figure `balanceBeforeDebt`; a
 * bonus is not awarded, as past the balance. Nothing already written changes.
 *
 * down() reverts exactly this: both functions as DebtsInTimeOrderAtPurchases1734850000000 installed them.
 */
export class PendingWithinCap1734860000000 implements MigrationInterface {
  name = "PendingWithinCap1734860000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await installFunction(queryRunner, RECORD_PURCHASES_BEFORE_REFERRERS_LOCKED_WITH_MEMBERS);
    await installFunction(queryRunner, APPLY_CAMPAIGN_BONUSES_BEFORE_ENDS_UNDER_LOCK);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await installFunction(queryRunner, APPLY_CAMPAIGN_BONUSES_BEFORE_PENDING_WITHIN_CAP);
    await installFunction(queryRunner, RECORD_PURCHASES_BEFORE_PENDING_WITHIN_CAP);
  }
}
