import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { composeServices } from "@apollo/composition";
import { Supergraph } from "@apollo/federation-internals";
import { parse, printSchema } from "graphql";
import { REPO_ROOT, SUBGRAPH_NAMES, SUBGRAPHS, type SubgraphName } from "../../shared/src/config";

const run = promisify(execFile);

export interface Composition {
  subgraphs: { name: SubgraphName; path: string; sdl: string }[];
  supergraph: { path: string; sdl: string };
  /** The public API schema (no federation machinery, descriptions kept): what clients and codegen build against. */
  apiSchema: { path: string; sdl: string };
  /** The same composition for Apollo's Rover (`rover supergraph compose --config`). */
  roverConfig: { path: string; sdl: string };
}

/**
 * Prints each subgraph's SDL (one process per subgraph: type-graphql keeps its metadata in one global
 * store) and composes them into the supergraph the gateway loads. Needs `npm run build` first.
 */
export async function composeSupergraph(): Promise<Composition> {
  const subgraphs = await Promise.all(
    SUBGRAPH_NAMES.map(async (name) => {
      const entry = join(REPO_ROOT, "dist", "subgraphs", name, "src", "main.js");
      const { stdout } = await run(process.execPath, [entry, "--print-schema"], { env: { ...process.env, APOLLO_TELEMETRY_DISABLED: "1" } });
      return { name, path: join(REPO_ROOT, "subgraphs", name, "schema.graphql"), sdl: stdout.endsWith("\n") ? stdout : `${stdout}\n` };
    }),
  );
  const result = composeServices(
    subgraphs.map(({ name, sdl }) => ({ name, typeDefs: parse(sdl), url: `http://localhost:${SUBGRAPHS[name].defaultPort}/graphql` })),
  );
  if (result.errors) {
    throw new Error(`Composition failed:\n${result.errors.map((error) => `- ${error.message}`).join("\n")}`);
  }
  return {
    subgraphs,
    supergraph: { path: join(REPO_ROOT, "gateway", "supergraph.graphql"), sdl: `${result.supergraphSdl}\n` },
    apiSchema: { path: join(REPO_ROOT, "gateway", "schema.graphql"), sdl: apiSchemaSdl(result.supergraphSdl) },
    roverConfig: { path: join(REPO_ROOT, "gateway", "supergraph.yaml"), sdl: roverConfig() },
  };
}

/** The API schema the gateway serves: `@inaccessible` fields and `join__`/`link__` definitions removed. */
function apiSchemaSdl(supergraphSdl: string): string {
  const header = "# Written by `npm run compose` from gateway/supergraph.graphql: the public API schema, for clients and `npm run codegen`.\n\n";
  return `${header}${printSchema(Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema())}\n`;
}

/**
 * Rover's supergraph config: the composition version pinned to the one we compose with, each
 * subgraph's committed SDL (paths relative to this file) and its default routing URL.
 */
function roverConfig(): string {
  const { version } = require("@apollo/composition/package.json") as { version: string };
  const lines = [
    "# Written by `npm run compose`, beside gateway/supergraph.graphql. The same composition with Apollo's Rover:",
    "#   rover supergraph compose --config gateway/supergraph.yaml --output gateway/supergraph.graphql",
    `federation_version: =${version}`,
    "subgraphs:",
  ];
  for (const name of SUBGRAPH_NAMES) {
    lines.push(`  ${name}:`, `    routing_url: http://localhost:${SUBGRAPHS[name].defaultPort}/graphql`, "    schema:", `      file: ../subgraphs/${name}/schema.graphql`);
  }
  return `${lines.join("\n")}\n`;
}

/** Files whose committed content differs from a fresh composition. */
export async function staleFiles(composition: Composition): Promise<string[]> {
  const files = [...composition.subgraphs, composition.supergraph, composition.apiSchema, composition.roverConfig];
  const stale = await Promise.all(files.map(async ({ path, sdl }) => ((await readFile(path, "utf8").catch(() => "")) === sdl ? null : path)));
  return stale.filter((path): path is string => path !== null);
}

async function main() {
  const composition = await composeSupergraph();
  if (process.argv.includes("--check")) {
    const stale = await staleFiles(composition);
    if (stale.length) {
      console.error(`Out of date (run npm run compose):\n${stale.join("\n")}`);
      process.exit(1);
    }
    console.log("Supergraph and subgraph schemas are up to date.");
    return;
  }
  for (const { path, sdl } of [...composition.subgraphs, composition.supergraph, composition.apiSchema, composition.roverConfig]) await writeFile(path, sdl);
  console.log(`Wrote ${composition.supergraph.path} from ${composition.subgraphs.length} subgraphs.`);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
