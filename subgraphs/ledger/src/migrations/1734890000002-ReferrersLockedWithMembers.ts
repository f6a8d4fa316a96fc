import type { MigrationInterface, QueryRunner } from "typeorm";
import { RECORD_PURCHASES_BEFORE_REFERRERS_LOCKED_WITH_MEMBERS, RECORD_PURCHASES_BEFORE_TIER_AT_PURCHASE, installFunction } from "../sql";

/**
 * No lock cycle between a refund of a referred friend's first purchase and another friend's first
 * purchase at the same partner (an outside review): `record_purchases` locks the referrers of the
 * group's referrals not yet consumed together with its members, in one statement in id order, before
 * any account (sql/record-purchases.ts). The refund locks the friend and the referrer, then the
 * partner's issuance account; the purchase locked its members, the partner's and the coalition's
 * issuance accounts, and the referrer last (the referral step): Postgres aborted one of the two (the
 * purchase or the refund answered UPSTREAM_UNAVAILABLE) and the group-commit writer stalled for
 * deadlock_timeout. Nothing already written changes.
 *
 * down() reverts exactly this: record_purchases as PendingWithinCap1734860000000 installed it.
 */
export class ReferrersLockedWithMembers1734890000002 implements MigrationInterface {
  name = "ReferrersLockedWithMembers1734890000002";

  async up(queryRunner: QueryRunner): Promise<void> {
    await installFunction(queryRunner, RECORD_PURCHASES_BEFORE_TIER_AT_PURCHASE);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await installFunction(queryRunner, RECORD_PURCHASES_BEFORE_REFERRERS_LOCKED_WITH_MEMBERS);
  }
}
