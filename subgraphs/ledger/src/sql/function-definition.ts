/** A Postgres function as the ledger defines it in code: the one text a migration installs and a test compares with the database. */
export interface FunctionDefinition {
  name: string;
  /** As Postgres prints them (pg_get_function_arguments), so a test compares them as they are. */
  arguments: string;
  returns: string;
  language: string;
  body: string;
  /**
   * Settings the function runs with (CREATE FUNCTION … SET), as Postgres lists them (pg_proc.proconfig):
   * e.g. "enable_seqscan=off". None when absent.
   */
  settings?: readonly string[];
}

/** "enable_seqscan=off" as a CREATE FUNCTION clause: ` SET enable_seqscan = 'off'`. */
const setClause = (setting: string) => {
  const at = setting.indexOf("=");
  return ` SET ${setting.slice(0, at)} = '${setting.slice(at + 1)}'`;
};

export const createFunctionSql = (f: FunctionDefinition) =>
  `CREATE FUNCTION ${f.name}(${f.arguments}) RETURNS ${f.returns} LANGUAGE ${f.language}${(f.settings ?? []).map(setClause).join("")} AS $function$${f.body}$function$`;

/** The definition replacing the function in place (same signature, same oid): for a trigger's function, which cannot be dropped under its trigger, or a function in use. */
export const replaceFunctionSql = (f: FunctionDefinition) => createFunctionSql(f).replace(/^CREATE FUNCTION /, "CREATE OR REPLACE FUNCTION ");
