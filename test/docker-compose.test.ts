import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { parse } from "yaml";
import { proofSecrets } from "../shared/src/auth/proof";
import { GATEWAY_DEFAULT_PORT, REPO_ROOT, SUBGRAPHS, SUBGRAPH_NAMES, type SubgraphName, databaseName, intFromEnv, subgraphDatabaseUrl, subgraphPort, subgraphUrl } from "../shared/src/config";
import { defaultPoolSize } from "../shared/src/database";
import { workerCount } from "../shared/src/workers";
import { supergraphPath } from "../gateway/src/gateway";
import { tokenVerification } from "../gateway/src/identity";

/**
 * docker-compose.yml, the Dockerfile and the Postgres init script cannot run here (no Docker engine),
 * so this checks them against the Compose Specification and against the code: commands, ports,
 * URLs, settings and databases are what the services expect, read through the code's own config.
 *
 * test/fixtures/compose-spec.json: schema/compose-spec.json of github.com/compose-spec/compose-spec
 * at commit 170098ba07d9f53c383a41bfd4c5166b0a4529a6, Apache License 2.0.
 */

type Env = Record<string, string>;
interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string | number | null>;
  ports?: string[];
  expose?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  volumes?: string[];
}

const read = (path: string) => readFileSync(join(REPO_ROOT, path), "utf8");
const rawCompose = parse(read("docker-compose.yml"), { merge: true }) as { services: Record<string, Service> };

/** `.env` syntax: KEY=value lines, # comments. */
function parseDotEnv(text: string): Env {
  const env: Env = {};
  for (const line of text.split("\n")) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line.trim());
    if (match) env[match[1]] = match[2];
  }
  return env;
}
const dotEnv = parseDotEnv(read(".env.example"));

/** Compose's interpolation of every string value ($$, $VAR, ${VAR}, ${VAR:-default}, ${VAR:?error}...), recording the names used. */
function interpolate(value: unknown, env: Env, used: Set<string>): unknown {
  if (typeof value === "string") {
    return value.replace(/\$(?:(\$)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_all, dollar, braced, op, arg, bare) => {
      if (dollar) return "$";
      const name = braced ?? bare;
      used.add(name);
      const set = op?.startsWith(":") ? Boolean(env[name]) : name in env;
      if (set) return env[name];
      if (op?.endsWith("?")) throw new Error(`${name} is required: ${arg}`);
      return op ? arg : "";
    });
  }
  if (Array.isArray(value)) return value.map((item) => interpolate(item, env, used));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolate(item, env, used)]));
  return value;
}
const usedVariables = new Set<string>();
const compose = interpolate(rawCompose, dotEnv, usedVariables) as typeof rawCompose;
const services = compose.services;

const NODE_SERVICES = [...SUBGRAPH_NAMES, "gateway"] as const;
type NodeService = (typeof NODE_SERVICES)[number];
const envOf = (name: string): Env => Object.fromEntries(Object.entries(services[name].environment ?? {}).map(([key, value]) => [key, String(value ?? "")]));

/** Runs the code's config functions as they would run inside that container. */
function inContainer<T>(name: string, read: () => T): T {
  const saved = process.env;
  process.env = envOf(name);
  try {
    return read();
  } finally {
    process.env = saved;
  }
}
const listenPort = (name: NodeService) => inContainer(name, () => (name === "gateway" ? intFromEnv("GATEWAY_PORT", GATEWAY_DEFAULT_PORT) : subgraphPort(name)));
const containerPorts = (service: Service) => [...(service.expose ?? []), ...(service.ports ?? []).map((port) => port.split(":").pop()!)].map((port) => Number(port.split("/")[0]));
const entryOf = (name: NodeService) => (name === "gateway" ? "dist/gateway/src/main.js" : `dist/subgraphs/${name}/src/main.js`);

/** Every setting the code reads: process.env.X, env.X, intFromEnv("X"), a config reader's int/flag/url("X"), a subgraph definition's settings, and the per-subgraph names in SUBGRAPHS. */
function settingsTheCodeReads(): Set<string> {
  const names = new Set(SUBGRAPH_NAMES.flatMap((name) => [SUBGRAPHS[name].portEnv, SUBGRAPHS[name].urlEnv, SUBGRAPHS[name].databaseUrlEnv]));
  const sourceDirs = ["shared/src", "gateway/src", ...SUBGRAPH_NAMES.map((name) => `subgraphs/${name}/src`)];
  const walk = (dir: string): string[] => readdirSync(join(REPO_ROOT, dir)).flatMap((entry) => (statSync(join(REPO_ROOT, dir, entry)).isDirectory() ? walk(join(dir, entry)) : entry.endsWith(".ts") ? [join(dir, entry)] : []));
  for (const file of sourceDirs.flatMap(walk)) {
    const text = read(file);
    for (const match of text.matchAll(/\benv\.([A-Z][A-Z0-9_]*)|(?:intFromEnv|\.int|\.flag|\.url)\("([A-Z][A-Z0-9_]*)"/g)) names.add(match[1] ?? match[2]);
    for (const [, list] of text.matchAll(/\bsettings: \[([^\]]*)\]/g)) for (const [, name] of list.matchAll(/"([A-Z][A-Z0-9_]*)"/g)) names.add(name);
  }
  return names;
}

/** docker/postgres/init-databases.sh: the role and databases it creates, and the password variable it reads. */
const initScript = (() => {
  const text = read("docker/postgres/init-databases.sh");
  return {
    text,
    role: /CREATE ROLE (\w+) LOGIN/.exec(text)?.[1],
    databases: [...text.matchAll(/CREATE DATABASE (\w+) OWNER (\w+)/g)].map(([, database, owner]) => ({ database, owner })),
    passwordVariable: /app_password="\$(\w+)"/.exec(text)?.[1] ?? "",
  };
})();

describe("docker-compose.yml", () => {
  it("is valid against the Compose Specification, before and after interpolation", () => {
    const { $schema: _draft07, ...schema } = JSON.parse(read("test/fixtures/compose-spec.json"));
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    for (const file of [rawCompose, compose]) {
      validate(file);
      expect(validate.errors ?? []).toEqual([]);
    }
  });

  it("reads only variables that .env.example defines, and .env.example holds nothing it does not read", () => {
    expect([...usedVariables].filter((name) => !(name in dotEnv))).toEqual([]);
    expect(Object.keys(dotEnv).filter((name) => !usedVariables.has(name))).toEqual([]);
    // Without an .env, compose refuses to start rather than run with empty secrets.
    expect(() => interpolate(rawCompose, {}, new Set())).toThrow(/is required/);
  });

  it("builds the image once, from the Dockerfile, and runs it for all five services", () => {
    const builders = Object.entries(services).filter(([, service]) => service.build !== undefined);
    expect(builders.map(([, service]) => service.build)).toEqual(["."]);
    const image = builders[0][1].image;
    for (const name of NODE_SERVICES) expect(services[name].image).toBe(image);
  });

  it.each(NODE_SERVICES)("%s: runs its compiled entry point, listens on its container port, reports health there", (name) => {
    const service = services[name];
    expect(service.command).toEqual(["node", entryOf(name)]);
    expect(existsSync(join(REPO_ROOT, entryOf(name).replace(/^dist\//, "").replace(/\.js$/, ".ts")))).toBe(true);
    if (existsSync(join(REPO_ROOT, "dist"))) expect(existsSync(join(REPO_ROOT, entryOf(name)))).toBe(true);
    const port = listenPort(name);
    expect(containerPorts(service)).toEqual([port]);
    const health = service.healthcheck?.test.join(" ") ?? "";
    expect([...health.matchAll(/https?:\/\/[^'"\s]+/g)].map(([url]) => url)).toEqual([`http://127.0.0.1:${port}/health`]);
  });

  it.each(NODE_SERVICES)("%s: has what production mode requires, and only settings the code reads", (name) => {
    const env = envOf(name);
    expect(env.NODE_ENV).toBe("production");
    expect(() => proofSecrets(env)).not.toThrow();
    expect(() => inContainer(name, workerCount)).not.toThrow();
    if (name === "gateway") expect(() => tokenVerification(env)).not.toThrow();
    const known = settingsTheCodeReads();
    // NODE_ENV and APOLLO_TELEMETRY_DISABLED are read by libraries too; the rest by our code.
    expect(Object.keys(env).filter((key) => !known.has(key) && key !== "NODE_ENV" && key !== "APOLLO_TELEMETRY_DISABLED")).toEqual([]);
  });

  it.each(NODE_SERVICES)("%s: every subgraph URL it uses names that subgraph's service and port", (name) => {
    for (const target of SUBGRAPH_NAMES) {
      const url = new URL(inContainer(name, () => subgraphUrl(target)));
      expect({ target, host: url.hostname, port: Number(url.port), path: url.pathname }).toEqual({ target, host: target, port: listenPort(target), path: "/graphql" });
    }
  });

  it("the gateway uses the compose Redis and the same secrets as the subgraphs", () => {
    const env = envOf("gateway");
    const redis = new URL(env.REDIS_URL);
    expect(redis.protocol).toBe("redis:");
    expect(services[redis.hostname]?.image).toMatch(/^redis:/);
    expect(Number(redis.port || 6379)).toBe(6379);
    for (const name of SUBGRAPH_NAMES) {
      expect(envOf(name).GATEWAY_SECRET).toBe(env.GATEWAY_SECRET);
      expect(envOf(name).SERVICE_SECRET).toBe(env.SERVICE_SECRET);
      // Subgraphs never see user tokens, so they do not get the key that signs them.
      expect(envOf(name).JWT_SECRET).toBeUndefined();
    }
  });

  it.each(SUBGRAPH_NAMES)("%s: connects to its own database on the compose Postgres, as the role the init script creates", (name: SubgraphName) => {
    const url = new URL(inContainer(name, () => subgraphDatabaseUrl(name)));
    const postgres = services[url.hostname];
    expect(postgres?.image).toMatch(/^postgres:/);
    expect(Number(url.port || 5432)).toBe(5432);
    expect(decodeURIComponent(url.pathname.slice(1))).toBe(inContainer(name, () => databaseName(name)));
    expect(url.username).toBe(initScript.role);
    expect(decodeURIComponent(url.password)).toBe(envOf("postgres")[initScript.passwordVariable]);
  });

  it("starts Postgres, then the subgraphs, then the gateway once Redis and every subgraph are healthy", () => {
    for (const [name, service] of Object.entries(services)) expect({ name, healthcheck: Boolean(service.healthcheck?.test?.length) }).toEqual({ name, healthcheck: true });
    for (const name of SUBGRAPH_NAMES) expect(services[name].depends_on).toEqual({ postgres: { condition: "service_healthy" } });
    const healthy = Object.fromEntries(["redis", ...SUBGRAPH_NAMES].map((name) => [name, { condition: "service_healthy" }]));
    expect(services.gateway.depends_on).toEqual(healthy);
  });

  it("gives Postgres enough connections for every subgraph process's pool", () => {
    const maxConnections = Number(/max_connections=(\d+)/.exec((services.postgres.command ?? []).join(" "))?.[1] ?? 100);
    const needed = SUBGRAPH_NAMES.reduce((sum, name) => sum + inContainer(name, () => workerCount() * defaultPoolSize()), 0);
    // Postgres keeps 3 for superusers; leave 10 for the operator tools (seed, ledger:expire).
    expect(needed + 10).toBeLessThanOrEqual(maxConnections - 3);
  });
});

describe("docker/postgres/init-databases.sh", () => {
  it("creates exactly the databases the subgraphs use, owned by the services' role", () => {
    const expected = SUBGRAPH_NAMES.map((name) => ({ database: inContainer(name, () => databaseName(name)), owner: initScript.role }));
    expect(initScript.databases).toEqual(expected);
    expect(initScript.passwordVariable).not.toBe("");
  });

  it("is mounted where the Postgres image runs init scripts, with the variables it reads", () => {
    expect(services.postgres.volumes).toContain("./docker/postgres/init-databases.sh:/docker-entrypoint-initdb.d/10-init-databases.sh:ro");
    for (const [, name] of initScript.text.matchAll(/\$\{?([A-Z_][A-Z0-9_]*)/g)) {
      // POSTGRES_USER is set by the image itself.
      if (name !== "POSTGRES_USER") expect({ name, set: Boolean(envOf("postgres")[name]) }).toEqual({ name, set: true });
    }
    expect(statSync(join(REPO_ROOT, "docker/postgres/init-databases.sh")).mode & 0o111).not.toBe(0);
  });
});

describe("Dockerfile", () => {
  const dockerfile = read("Dockerfile");
  // Instructions, with continuation lines joined and comments dropped.
  const instructions = dockerfile.replace(/\\\n/g, " ").split("\n").filter((line) => line.trim() && !line.trim().startsWith("#"));
  const stages = instructions.reduce<string[][]>((all, line) => (/^FROM\s/i.test(line) ? [...all, [line]] : (all.at(-1)?.push(line), all)), []);
  const runtime = stages.at(-1)!.join("\n");
  const build = stages.slice(0, -1).flat().join("\n");

  it("is multi-stage: a build stage, then a runtime stage that runs as a non-root user under tini", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(build).toMatch(/npm ci/);
    expect(build).toMatch(/npm run build/);
    expect(build).toMatch(/npm prune --omit=dev/);
    expect(runtime).toMatch(/^USER (?!root\b|0\b)\w+/m);
    expect(runtime).toMatch(/^ENTRYPOINT \["\/usr\/bin\/tini", "--"\]/m);
    expect(runtime).toMatch(/NODE_ENV=production/);
    expect(runtime).toMatch(/APOLLO_TELEMETRY_DISABLED=1/);
    expect(runtime).not.toMatch(/^COPY (?!--from=)/m);
  });

  it("builds from the sources of every service and keeps secrets out of the build context", () => {
    for (const dir of ["shared", "gateway", "subgraphs"]) expect(build).toMatch(new RegExp(`^COPY ${dir} \\./${dir}$`, "m"));
    expect(build).toMatch(/^COPY package\.json package-lock\.json \.\/$/m);
    const ignored = read(".dockerignore").split("\n").map((line) => line.trim()).filter((line) => line && !line.startsWith("#"));
    expect(ignored).toEqual(expect.arrayContaining([".env", "node_modules", "dist", ".git"]));
    for (const needed of ["shared", "gateway", "subgraphs", "package.json", "package-lock.json", "tsconfig.json"]) expect(ignored).not.toContain(needed);
  });

  it("copies into the runtime image what the services read at run time", () => {
    // The compiled entry points of every compose command.
    const copiedDist = [...runtime.matchAll(/^COPY --from=\w+ \/app\/(dist\/\S+) /gm)].map(([, path]) => path);
    for (const name of NODE_SERVICES) expect(copiedDist.some((dir) => entryOf(name).startsWith(`${dir}/`))).toBe(true);
    expect(runtime).toMatch(/^COPY --from=\w+ \/app\/node_modules \.\/node_modules$/m);
    // Beside the code: the project root's markers (REPO_ROOT), the supergraph, the subgraph SDL.
    const staged = /cp --parents (.+?) \/runtime-files\//.exec(build)?.[1].split(/\s+/) ?? [];
    const supergraph = inContainer("gateway", () => relative(REPO_ROOT, supergraphPath()));
    expect(staged).toEqual(expect.arrayContaining(["package.json", supergraph, "subgraphs/*/schema.graphql"]));
    expect(runtime).toMatch(/^COPY --from=\w+ \/runtime-files\/ \.\/$/m);
    expect(read("shared/src/config.ts")).toContain('existsSync(join(dir, "package.json")) && existsSync(join(dir, "subgraphs"))');
  });

  it("defaults to the gateway", () => {
    expect(runtime).toMatch(new RegExp(`^CMD \\["node", "${entryOf("gateway")}"\\]$`, "m"));
  });
});
