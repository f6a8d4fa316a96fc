import type { MigrationInterface, QueryRunner } from "typeorm";
import { useRandomIds, useTimeOrderedIds } from "../../../../shared/src/time-ordered-ids";

/** The tables whose new ids are in time order. */
const TABLES = ["audit_events"];

/**
 * New ids of this service's `audit_events` (as in every service's database, so the four audit tables stay alike) are in time order
 * (shared/src/time-ordered-ids.ts: `time_ordered_uuid()`, UUID version 7), so each insert goes to the
 * right-hand end of the indexes keyed by them instead of a random page, which after every checkpoint
 * wrote a whole page to the WAL. Ids already issued keep their value.
 *
 * down() reverts exactly this: random ids (`gen_random_uuid()`) again, and the function dropped.
 */
export class TimeOrderedIds1734600000000 implements MigrationInterface {
  name = "TimeOrderedIds1734600000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await useTimeOrderedIds(queryRunner, TABLES);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await useRandomIds(queryRunner, TABLES);
  }
}
