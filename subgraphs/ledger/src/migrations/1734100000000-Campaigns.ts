import type { MigrationInterface, QueryRunner } from "typeorm";
import { APPLY_CAMPAIGN_BONUSES_ONE_BY_ONE, POST_BONUS, RECORD_PURCHASES_BEFORE_CAMPAIGNS, RECORD_PURCHASES_BEFORE_ERASURES, installFunction } from "../sql";

/**
 * Campaigns and referrals (README, "Campaigns and referrals"): the campaigns, what each member got
 * from each, every bonus with the purchase it came with, the partners' categories the ledger learnt,
 * the referrals the members service registered; `post_bonus` and `apply_campaign_bonuses`, and
 * `record_purchases` ending with a call to the latter.
 *
 * down() reverts exactly this: `record_purchases` without that call (RecordPurchasesFromRules1733400000000's
 * text), then drops the two functions and the five tables (it fails once bonuses were posted, as
 * their transactions would lose their campaign).
 */
export class Campaigns1734100000000 implements MigrationInterface {
  name = "Campaigns1734100000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE campaigns (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        funded_by_partner_id uuid,
        partner_ids uuid[] NOT NULL DEFAULT '{}',
        categories text[] NOT NULL DEFAULT '{}',
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        min_amount_minor bigint NOT NULL DEFAULT 0 CHECK (min_amount_minor >= 0),
        minimum_tier text CHECK (minimum_tier IN ('BASE', 'SILVER', 'GOLD', 'PLATINUM')),
        first_purchase_at_partner boolean NOT NULL DEFAULT false,
        after_partner_id uuid,
        after_within_days integer CHECK (after_within_days > 0),
        bonus_percent integer CHECK (bonus_percent > 0),
        bonus_points integer CHECK (bonus_points > 0),
        max_bonus_per_member bigint CHECK (max_bonus_per_member > 0),
        budget_points bigint CHECK (budget_points > 0),
        points_awarded bigint NOT NULL DEFAULT 0,
        members_rewarded integer NOT NULL DEFAULT 0 CHECK (members_rewarded >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        ended_at timestamptz,
        CHECK (starts_at < ends_at),
        CHECK ((bonus_percent IS NULL) <> (bonus_points IS NULL)),
        CHECK ((after_partner_id IS NULL) = (after_within_days IS NULL)),
        CHECK (points_awarded >= 0 AND (budget_points IS NULL OR points_awarded <= budget_points))
      )`);
    // Matching reads the few campaigns not ended yet; listings read a funder's.
    await queryRunner.query(`CREATE INDEX campaigns_open_idx ON campaigns (ends_at) WHERE ended_at IS NULL`);
    await queryRunner.query(`CREATE INDEX campaigns_funder_idx ON campaigns (funded_by_partner_id, created_at)`);
    await queryRunner.query(`
      CREATE TABLE campaign_member_points (
        campaign_id uuid NOT NULL REFERENCES campaigns(id),
        member_id uuid NOT NULL,
        points bigint NOT NULL CHECK (points >= 0),
        PRIMARY KEY (campaign_id, member_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE campaign_bonuses (
        transaction_id uuid PRIMARY KEY REFERENCES transactions(id),
        campaign_id uuid REFERENCES campaigns(id),
        earn_transaction_id uuid NOT NULL REFERENCES transactions(id),
        member_id uuid NOT NULL,
        funder_kind text NOT NULL CHECK (funder_kind IN ('PARTNER_ISSUANCE', 'COALITION_ISSUANCE')),
        funder_id uuid NOT NULL,
        points integer NOT NULL CHECK (points > 0),
        reversed_points integer NOT NULL DEFAULT 0 CHECK (reversed_points >= 0 AND reversed_points <= points),
        UNIQUE (campaign_id, earn_transaction_id)
      )`);
    await queryRunner.query(`CREATE INDEX campaign_bonuses_earn_idx ON campaign_bonuses (earn_transaction_id)`);
    await queryRunner.query(`CREATE TABLE campaign_partner_categories (partner_id uuid PRIMARY KEY, category text NOT NULL)`);
    await queryRunner.query(`
      CREATE TABLE referrals (
        referred_member_id uuid PRIMARY KEY,
        referrer_member_id uuid NOT NULL,
        bonus_points integer NOT NULL CHECK (bonus_points > 0),
        referrer_max integer NOT NULL CHECK (referrer_max >= 0),
        earn_transaction_id uuid REFERENCES transactions(id),
        referrer_rewarded boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (referred_member_id <> referrer_member_id)
      )`);
    await queryRunner.query(`CREATE INDEX referrals_referrer_idx ON referrals (referrer_member_id) WHERE referrer_rewarded`);
    await installFunction(queryRunner, POST_BONUS);
    await installFunction(queryRunner, APPLY_CAMPAIGN_BONUSES_ONE_BY_ONE); // CampaignBonusesAtOnce1734260000000 replaces it
    // As it stood before the later migrations that install it again (1734210000000-MemberErasures adds the erased-member check).
    await installFunction(queryRunner, RECORD_PURCHASES_BEFORE_ERASURES);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await installFunction(queryRunner, RECORD_PURCHASES_BEFORE_CAMPAIGNS);
    await queryRunner.query(`DROP FUNCTION apply_campaign_bonuses`);
    await queryRunner.query(`DROP FUNCTION post_bonus`);
    await queryRunner.query(`DROP TABLE referrals, campaign_partner_categories, campaign_bonuses, campaign_member_points, campaigns`);
  }
}
