import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";

/*
 * The layout's dependency rule (README, "Layout"), checked on every import, export … from, require()
 * and import() of every TypeScript file in the repository. Nothing points up:
 *
 *   bench/  examples/  test/
 *   tools/
 *   gateway/   subgraphs/<name>/
 *   shared/
 *
 * Pure: it reads files, runs no build, no database, no service.
 */

const ROOT = resolve(__dirname, "..", "..");
const SOURCE_DIRS = ["shared", "gateway", "subgraphs", "tools", "bench", "test", "examples"];
const SKIP = new Set(["node_modules", "dist", "gql"]);

/** Where a repository path belongs: its layer and, for a subgraph, which one and whether it is the subgraph's definition. */
export interface Place {
  layer: "shared" | "gateway" | "subgraph" | "tools" | "bench" | "test" | "examples" | "other";
  subgraph?: string;
  definition?: boolean;
}

export function placeOf(path: string): Place {
  const parts = path.split(/[\\/]/);
  switch (parts[0]) {
    case "shared":
    case "gateway":
    case "tools":
    case "bench":
    case "test":
    case "examples":
      return { layer: parts[0] };
    case "subgraphs":
      return { layer: "subgraph", subgraph: parts[1], definition: parts.slice(2).join("/").replace(/\.(ts|js)$/, "") === "src/subgraph" };
    default:
      return { layer: "other" };
  }
}

/** Why an import from `from` of `to` (repository paths) breaks the rule, or null when it does not. */
export function violation(from: string, to: string): string | null {
  const a = placeOf(from);
  const b = placeOf(to);
  if (b.layer === "other") return null;
  switch (a.layer) {
    case "shared":
      if (b.layer !== "shared") return `shared/ must not import ${b.layer === "subgraph" ? "subgraphs" : b.layer}/`;
      return null;
    case "subgraph":
      if (b.layer === "subgraph" && b.subgraph !== a.subgraph) return `subgraph ${a.subgraph} must not import subgraph ${b.subgraph}`;
      if (b.layer !== "subgraph" && b.layer !== "shared") return `a subgraph must not import ${b.layer}/`;
      return null;
    case "gateway":
      if (b.layer !== "gateway" && b.layer !== "shared") return `gateway/ must not import ${b.layer === "subgraph" ? "subgraphs" : b.layer}/`;
      return null;
    case "tools":
      if (b.layer === "test" || b.layer === "bench" || b.layer === "examples") return `tools/ must not import ${b.layer}/`;
      if (b.layer === "subgraph" && !b.definition) return `tools/ must import a subgraph only through its definition (subgraphs/${b.subgraph}/src/subgraph.ts)`;
      return null;
    case "bench":
      if (b.layer === "test") return "bench/ must not import test/";
      if (b.layer === "subgraph" && !b.definition) return `bench/ must import a subgraph only through its definition (subgraphs/${b.subgraph}/src/subgraph.ts)`;
      return null;
    case "examples":
      if (b.layer !== "examples") return `examples/ must not import ${b.layer === "subgraph" ? "subgraphs" : b.layer}/`;
      return null;
    case "test":
      return null;
    default:
      if (b.layer === "test" || b.layer === "bench") return `${from} must not import ${b.layer}/`;
      return null;
  }
}

function sourceFiles(dir: string): string[] {
  const absolute = join(ROOT, dir);
  let entries: string[];
  try {
    entries = readdirSync(absolute);
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    if (SKIP.has(entry)) return [];
    const path = join(dir, entry);
    if (statSync(join(ROOT, path)).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|mts|cts)$/.test(entry) && !entry.endsWith(".d.ts") ? [path] : [];
  });
}

/** Every module specifier a file names: imports, re-exports, require() and import() (the compiler's own scanner). */
export function specifiersOf(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((file) => file.fileName);
}

function dependencies(): { from: string; to: string }[] {
  return SOURCE_DIRS.flatMap(sourceFiles).flatMap((from) =>
    specifiersOf(readFileSync(join(ROOT, from), "utf8"))
      .filter((specifier) => specifier.startsWith("."))
      .map((specifier) => ({ from, to: relative(ROOT, resolve(ROOT, dirname(from), specifier)).split(sep).join("/") })),
  );
}

describe("the layout's dependency rule", () => {
  it("finds the repository's files and their imports", () => {
    const deps = dependencies();
    expect(deps.length).toBeGreaterThan(500);
    for (const layer of ["shared", "gateway", "subgraphs", "tools", "bench", "test"]) expect(deps.some(({ from }) => from.startsWith(`${layer}/`))).toBe(true);
  });

  it("is kept: nothing in shared/, gateway/ or a subgraph points up, no subgraph imports another, tools and bench use subgraph definitions only", () => {
    const broken = dependencies().flatMap(({ from, to }) => {
      const why = violation(from, to);
      return why ? [`${from} -> ${to}: ${why}`] : [];
    });
    expect(broken).toEqual([]);
  });

  it("each subgraph has one definition file, which tools and bench import", () => {
    for (const name of readdirSync(join(ROOT, "subgraphs"))) {
      if (!statSync(join(ROOT, "subgraphs", name)).isDirectory()) continue;
      expect(sourceFiles(join("subgraphs", name, "src"))).toContain(join("subgraphs", name, "src", "subgraph.ts"));
    }
  });

  // The rule itself, on made-up imports (so that a mistake in it cannot pass for a clean repository).
  it.each([
    ["shared/src/seed/seed.ts", "subgraphs/ledger/src/data-source"],
    ["shared/src/config.ts", "gateway/src/limits"],
    ["shared/src/config.ts", "tools/stack/services"],
    ["shared/src/config.ts", "test/support/fixtures"],
    ["subgraphs/catalog/src/reward/reward.service.ts", "subgraphs/ledger/src/rules/tiers"],
    ["subgraphs/catalog/src/reward/reward.service.ts", "tools/stack/graphql-client"],
    ["gateway/src/server.ts", "subgraphs/members/src/subgraph"],
    ["gateway/src/server.ts", "bench/report"],
    ["tools/seed/seed.ts", "subgraphs/ledger/src/seed/bulk-seed"],
    ["tools/seed/seed.ts", "test/support/fixtures"],
    ["bench/in-process/subgraphs.ts", "subgraphs/ledger/src/context"],
    ["bench/run.ts", "test/support/fixtures"],
    ["examples/partner-app/src/main.ts", "shared/src/config"],
  ])("refuses %s -> %s", (from, to) => {
    expect(violation(from, to)).not.toBeNull();
  });

  it.each([
    ["shared/src/seed/plan.ts", "shared/src/config"],
    ["subgraphs/ledger/src/seed/bulk-seed.ts", "shared/src/seed/plan"],
    ["subgraphs/ledger/src/main.ts", "subgraphs/ledger/src/subgraph"],
    ["gateway/src/server.ts", "shared/src/config"],
    ["tools/seed/seed.ts", "subgraphs/ledger/src/subgraph"],
    ["tools/stack/start.ts", "shared/src/logger"],
    ["bench/in-process/subgraphs.ts", "subgraphs/ledger/src/subgraph"],
    ["bench/run.ts", "tools/stack/services"],
    ["test/seed.test.ts", "subgraphs/ledger/src/seed/earnings"],
    ["test/bench.test.ts", "bench/report"],
  ])("allows %s -> %s", (from, to) => {
    expect(violation(from, to)).toBeNull();
  });

  it("reads every kind of specifier", () => {
    const text = `import a from "./a";\nimport type { B } from "../b";\nexport { c } from "./c";\nconst d = require("./d");\nconst e = await import("./e");\nimport "./f";`;
    expect(specifiersOf(text)).toEqual(["./a", "../b", "./c", "./d", "./e", "./f"]);
  });
});
