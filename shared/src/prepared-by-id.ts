import type { DataSource, EntityMetadata, EntityTarget, ObjectLiteral } from "typeorm";
import { preparedQuery } from "./prepared-query";

const statements = new WeakMap<EntityMetadata, string>();

/**
 * The SELECT TypeORM's `findBy({ id: In(ids) })` runs for `metadata`, written once from the entity's
 * own metadata: every selected column aliased to its property name, by a uuid primary key. Only for
 * flat entities (no relations, embedded columns or value transformers), whose rows pg already parses
 * as TypeORM would hand them over; anything else is refused rather than read differently.
 */
export function selectByIdsSql(metadata: EntityMetadata): string {
  let sql = statements.get(metadata);
  if (sql) return sql;
  const [primary, ...more] = metadata.primaryColumns;
  const refused =
    metadata.relations.length || metadata.embeddeds.length ? "it has relations or embedded columns"
    : !primary || more.length || primary.type !== "uuid" ? "its primary key is not one uuid column"
    : metadata.columns.some((column) => column.transformer) ? "a column has a value transformer"
    : null;
  if (refused) throw new Error(`${metadata.name} cannot be read by preparedFindByIds: ${refused}`);
  const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
  const columns = metadata.columns.filter((column) => column.isSelect).map((column) => `${quote(column.databaseName)} AS ${quote(column.propertyName)}`);
  sql = `SELECT ${columns.join(", ")} FROM ${metadata.tablePath.split(".").map(quote).join(".")} WHERE ${quote(primary.databaseName)} = ANY($1::uuid[])`;
  statements.set(metadata, sql);
  return sql;
}

/**
 * Rows of a flat entity by id as one prepared read (prepared-query.ts): the same records as
 * `repository.findBy({ id: In(ids) })` (test/prepared-by-id.test.ts compares them), without TypeORM's
 * query building and result mapping, which were about a fifth of the members and partners services'
 * CPU on the headline, where each answers one lookup by id per call.
 */
export async function preparedFindByIds<T extends ObjectLiteral>(dataSource: DataSource, entity: EntityTarget<T>, ids: string[]): Promise<T[]> {
  return preparedQuery<T>(dataSource, selectByIdsSql(dataSource.getMetadata(entity)), [ids]);
}
