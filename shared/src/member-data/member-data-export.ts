import { GraphQLScalarType, Kind, type ValueNode } from "graphql";
import type { EntityManager } from "typeorm";

/**
 * Article 15 export: what one service holds about one member, table by table. Each service lists its
 * tables holding member data in one place (`src/member-data/member-data.tables.ts`), one line per
 * table; test/member-export.test.ts fails when a table with a `member_id` column is missing there.
 */
export interface MemberDataTable {
  /** The table, as Postgres names it (also the key of its rows in the export). */
  table: string;
  /** Which rows are the member's, with the member id as $1; default `member_id = $1`. */
  where?: string;
  /** The columns exported, when some must be computed (another member's id masked, say); default all. */
  columns?: string;
  /** Columns left out of every row (another member's key, say); every other column, present or added later, is exported. */
  omit?: readonly string[];
  /**
   * Columns exported under their own name with a computed value (an expression over the row `t`, the
   * member id $1): another member's trail in a row of this member's masked, say. Every other column is as stored.
   */
  replace?: Readonly<Record<string, string>>;
  /** Row order (columns of the table), so an export reads the same twice. */
  orderBy: string;
}

/** One service's part of the export: `{ service, tables: { <table>: [rows as JSON] } }`. */
export interface MemberDataPart {
  service: string;
  tables: Record<string, unknown[]>;
}

/**
 * Reads every listed table's rows of the member as JSON, in one read-only snapshot (REPEATABLE READ),
 * so a write landing meanwhile is in all tables or none. Postgres renders the rows (`to_jsonb`):
 * timestamps in ISO 8601, bigints as numbers, column names as they are.
 */
export async function exportMemberData(manager: EntityManager, service: string, tables: readonly MemberDataTable[], memberId: string): Promise<MemberDataPart> {
  return manager.transaction("REPEATABLE READ", async (tx) => {
    const part: MemberDataPart = { service, tables: {} };
    for (const { table, where = "member_id = $1", columns = "t.*", omit = [], replace = {}, orderBy } of tables) {
      const replaced = Object.entries(replace);
      const computed = replaced.map(([column, expression], i) => `, (${expression}) AS replaced_${i}`).join("");
      const [row] = await tx.query(
        `SELECT coalesce(jsonb_agg(to_jsonb(r) - $2::text[] ORDER BY r.ord), '[]'::jsonb) AS rows
         FROM (SELECT ${columns}${computed}, row_number() OVER (ORDER BY ${orderBy}) AS ord FROM ${table} t WHERE ${where}) r`,
        [memberId, omit],
      );
      part.tables[table] = (row.rows as Record<string, unknown>[]).map(({ ord: _ord, ...rest }) => {
        replaced.forEach(([column], i) => {
          rest[column] = rest[`replaced_${i}`];
          delete rest[`replaced_${i}`];
        });
        return rest;
      });
    }
    return part;
  });
}

/** Answers as is; as an argument it is refused (no field takes JSON input). */
export const JSONScalar = new GraphQLScalarType({
  name: "JSON",
  description: "Any JSON value (here: a data export document). Output only.",
  serialize: (value) => value,
  parseValue: () => {
    throw new TypeError("JSON is output only");
  },
  parseLiteral: (_ast: ValueNode) => {
    throw new TypeError(`JSON is output only (${Kind.NULL})`);
  },
});

/** Descriptions of the export fields several subgraphs define (composition keeps one per element). */
export const memberDataDocs = {
  ledgerPart: "Internal: the ledger's part of Member.dataExport (every ledger row of the member). The member themself or an admin.",
  catalogPart: "Internal: the catalog's part of Member.dataExport (the member's redemptions and vouchers). The member themself or an admin.",
  partnersPart: "Internal: the partners service's part of Member.dataExport (its audit lines about the member). The member themself or an admin.",
} as const;
