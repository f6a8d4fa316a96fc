import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { REPO_ROOT } from "../shared/src/config";

/**
 * Every error code the code base can put in `extensions.code` is in the README's one list (The
 * contract, "Error codes"), and every code listed there can be emitted: the list is exactly what a
 * client can get. Codes are found where errors are made (appError, `code: "…"`, the HTTP layer's
 * sendErrors and RequestBodyError, the ErrorCode union); Apollo Server's own are named below.
 */
// Not PERSISTED_QUERY_NOT_SUPPORTED: Apollo Server answers it only with `persistedQueries: false`, which the gateway never sets.
const APOLLO_SERVER_CODES = ["GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED", "BAD_REQUEST", "PERSISTED_QUERY_NOT_FOUND", "OPERATION_RESOLUTION_FAILURE",
  // Apollo Server's answer to a hash that is not its query's, which comes without a code: the gateway's formatter names it (persistedQueryErrorCode).
  "PERSISTED_QUERY_HASH_MISMATCH"];

const PATTERNS = [
  /\bappError\(\s*"([A-Z_]+)"/g,
  /\b(?:code|limitCode): "([A-Z_]+)"/g,
  /\bsendErrors\([^;]*?"([A-Z_]+)"\s*[,)]/g,
  /\bRequestBodyError\(\d+, "([A-Z_]+)"/g,
  // clientError("message", "CODE") (the trusted-documents plugin): missed before, so three codes went unlisted.
  /\bclientError\(\s*(?:"[^"]*"|`[^`]*`),\s*"([A-Z_]+)",?\s*\)/g,
];
/** The ErrorCode union (other string unions, e.g. the clearing house's line kinds, are not codes). */
const ERROR_CODE_UNION = /\btype ErrorCode =([^;]*);/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "migrations" ? [] : sourceFiles(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

function emittedCodes(): Map<string, string> {
  const roots = [join(REPO_ROOT, "gateway", "src"), join(REPO_ROOT, "shared", "src"), ...readdirSync(join(REPO_ROOT, "subgraphs")).map((s) => join(REPO_ROOT, "subgraphs", s, "src"))];
  const codes = new Map<string, string>();
  for (const file of roots.flatMap(sourceFiles)) {
    const text = readFileSync(file, "utf8");
    for (const pattern of PATTERNS) for (const match of text.matchAll(pattern)) if (!codes.has(match[1])) codes.set(match[1], relative(REPO_ROOT, file));
    for (const union of text.matchAll(ERROR_CODE_UNION)) {
      for (const match of union[1].matchAll(/"([A-Z_]+)"/g)) if (!codes.has(match[1])) codes.set(match[1], relative(REPO_ROOT, file));
    }
  }
  for (const code of APOLLO_SERVER_CODES) codes.set(code, "Apollo Server");
  return codes;
}

/** The codes in the first column of the README's "Error codes" table. */
function documentedCodes(): string[] {
  const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
  const section = /^### Error codes\n([\s\S]*?)(?=^#{2,3} )/m.exec(readme)?.[1];
  if (!section) throw new Error('README.md has no "### Error codes" section');
  const firstCells = [...section.matchAll(/^\| (`[^|]+) \|/gm)].map((m) => m[1]);
  return firstCells.flatMap((cell) => [...cell.matchAll(/`([A-Z_]+)`/g)].map((m) => m[1]));
}

describe("error codes", () => {
  it("finds the codes where errors are made (the search itself works)", () => {
    const codes = emittedCodes();
    for (const code of ["UPSTREAM_UNAVAILABLE", "OVERLOADED", "RATE_LIMITED", "PAYLOAD_TOO_LARGE", "BATCH_TOO_LARGE", "QUERY_TOO_COSTLY", "HOLD_RELEASED", "INTERNAL_SERVER_ERROR",
      "PERSISTED_QUERY_NOT_IN_LIST", "OPERATION_NOT_SUPPORTED"]) {
      expect(codes.has(code)).toBe(true);
    }
  });

  it("every code the code base can emit is in the README's list", () => {
    const documented = new Set(documentedCodes());
    const missing = [...emittedCodes()].filter(([code]) => !documented.has(code)).map(([code, where]) => `${code} (${where})`);
    expect(missing).toEqual([]);
  });

  it("every code in the README's list can be emitted, and is listed once", () => {
    const emitted = emittedCodes();
    const documented = documentedCodes();
    expect(documented.filter((code) => !emitted.has(code))).toEqual([]);
    expect(documented.length).toBe(new Set(documented).size);
  });

  it("INTERRUPTED is never an error code (only a failureReason a retry with the same key redeems again)", () => {
    expect(emittedCodes().has("INTERRUPTED")).toBe(false);
  });
});
