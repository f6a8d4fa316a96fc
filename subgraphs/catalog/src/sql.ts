import type { EntityMetadata } from "typeorm";

/**
 * `alias.column AS "property"` for every mapped column of an entity, so hand-written SQL (LATERAL
 * batches TypeORM cannot build) returns rows shaped like the entity and stays in step with it.
 */
export function selectColumns(metadata: EntityMetadata, alias: string): string {
  return metadata.columns.map((column) => `${alias}.${column.databaseName} AS "${column.propertyName}"`).join(", ");
}
