import type { MigrationInterface, QueryRunner } from "typeorm";
import { APPLY_CAMPAIGN_BONUSES, APPLY_CAMPAIGN_BONUSES_BEFORE_REFERRER_EXPIRY_IN_MONTHS, installFunction } from "../sql";

/**
 * A referrer's bonus expires as every lot does: POINTS_EXPIRY_MONTHS calendar months after it was
 * earned (rules/expiry.ts `expiresAt`), and it is earned when it is posted (its lot's earned_at and its
 * entry's date are the posting's, CampaignFundersAndReferrers1734310000000 and CampaignAwardGuards1734800000000).
 * It expired as many seconds after its posting as the friend's purchase's points lived (sql/referral-bonuses.ts):
 * for a late purchase made on 2027-03-15 and posted on 2028-03-10, 731 days (the friend's 24 months hold
 * 29 February 2028), so on 2030-03-11, a day after 24 calendar months.
 *
 * Lots already written keep their expiry (no data fix here): only a referral paid for a late purchase
 * whose 24 months and the posting's differ in 29 Februaries is off, by one day. Before this migration
 * that is a purchase made before 1 March 2026 (its 24 months end before 29 February 2028) paid for on
 * or after it (the posting's hold that day): the referrer's lot expires a day early, from March 2028 on.
 * Such a lot can be found (source BONUS, its transaction's key `referral:<friend>:referrer`, its
 * expires_at not `expiresAtSql(earned_at, expiryMonthsOfSql(...))` of the friend's EARN lot's months);
 * moving it would have to move the lots whose origin it is (transfers, returns) with it.
 *
 * down() reverts exactly this: apply_campaign_bonuses as CampaignEndsUnderLock1734870000000 installed it.
 */
export class ReferrerBonusExpiryInMonths1734950000000 implements MigrationInterface {
  name = "ReferrerBonusExpiryInMonths1734950000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await installFunction(queryRunner, APPLY_CAMPAIGN_BONUSES);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await installFunction(queryRunner, APPLY_CAMPAIGN_BONUSES_BEFORE_REFERRER_EXPIRY_IN_MONTHS);
  }
}
