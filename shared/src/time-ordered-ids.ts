import type { QueryRunner } from "typeorm";

/**
 * Ids in time order (UUID version 7, RFC 9562) for the tables every write appends to: the ledger's
 * `transactions` and `postings`, and each service's `audit_events`.
 *
 * Why: with random ids (version 4, `gen_random_uuid()`), each new row lands on a random leaf page of
 * its primary key, and of every index keyed by it (a posting's transaction, a lot's, a bonus's). After
 * a checkpoint, the first change to each page writes the whole page (8 KB) to the WAL, so on large
 * indexes nearly every insert did. Measured straight on `record_purchases` with the bench's data, each
 * window right after a CHECKPOINT: a purchase with the bench's 50 campaigns wrote 120–140 KB of WAL
 * (18–21 full pages), 62–64 KB with time-ordered ids (8), and ran 25–50% faster; a plain purchase 60–64
 * KB (9.4–10 full pages) against 40–41 KB (5.8–6.0), 8–15% faster. New ids now go to the right-hand
 * end of each index, where the same few pages take them.
 *
 * The id's first 48 bits are the milliseconds since 1970 when it was made (clock_timestamp()), then
 * the version (7), then 74 random bits with the RFC variant: still unguessable, and ids made in the
 * same millisecond are in no particular order. The time an id carries is no news to whoever sees the
 * id: an entry shows when it occurred, an audit line when it was written. Ids already issued keep
 * their value. `gen_random_uuid()` gives the random bits (Postgres 13 and later; Postgres 18's own
 * `uuidv7()` is not on every server we run on).
 */
export const TIME_ORDERED_UUID_BODY = `
  SELECT encode(
    set_bit(set_bit(
      overlay(uuid_send(gen_random_uuid())
              PLACING substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
              FROM 1 FOR 6),
      52, 1), 53, 1),
    'hex')::uuid
`;
// The overlay puts the 6 low bytes of the milliseconds over the first 6 bytes; set_bit numbers bits
// from the least significant of each byte, so bits 52 and 53 are the low two of byte 6's high nibble:
// the version 0100 (4) of gen_random_uuid becomes 0111 (7). Byte 8's variant bits (10) are left as they are.

export const TIME_ORDERED_UUID = "time_ordered_uuid";

/** The function, as created: test/time-ordered-ids.test.ts compares each database's with this text. */
export const createTimeOrderedUuidSql = `CREATE FUNCTION ${TIME_ORDERED_UUID}() RETURNS uuid LANGUAGE sql VOLATILE AS $function$${TIME_ORDERED_UUID_BODY}$function$`;

/** Creates the function and makes it the default id of `tables` (each with a uuid `id` column). */
export async function useTimeOrderedIds(queryRunner: QueryRunner, tables: readonly string[]): Promise<void> {
  await queryRunner.query(createTimeOrderedUuidSql);
  for (const table of tables) await queryRunner.query(`ALTER TABLE ${table} ALTER COLUMN id SET DEFAULT ${TIME_ORDERED_UUID}()`);
}

/** Reverts useTimeOrderedIds: random ids again (as the tables were created), and the function gone. */
export async function useRandomIds(queryRunner: QueryRunner, tables: readonly string[]): Promise<void> {
  for (const table of tables) await queryRunner.query(`ALTER TABLE ${table} ALTER COLUMN id SET DEFAULT gen_random_uuid()`);
  await queryRunner.query(`DROP FUNCTION ${TIME_ORDERED_UUID}()`);
}

/** The milliseconds since 1970 a time-ordered id was made at: its first 48 bits. */
export const timeOfTimeOrderedUuid = (id: string): number => parseInt(id.replace(/-/g, "").slice(0, 12), 16);
