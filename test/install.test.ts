import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import semver from "semver";
import { REPO_ROOT } from "../shared/src/config";

/**
 * `npm ci` (CI systems, the Dockerfile) installs exactly the lockfile and fails when it lacks anything
 * package.json needs, optional platform packages included: the committed lockfile once lacked 17 and
 * every fresh clone failed. A dry run in a copy of the two files proves it without touching node_modules.
 */
describe("the committed lockfile", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "coalition-install-"));
    for (const file of ["package.json", "package-lock.json"]) await copyFile(join(REPO_ROOT, file), join(dir, file));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const npmCi = (...flags: string[]) =>
    promisify(execFile)("npm", ["ci", "--dry-run", "--offline", "--ignore-scripts", "--no-audit", "--no-fund", ...flags], { cwd: dir, maxBuffer: 20_000_000 });

  it("is what `npm ci` needs, with and without optional packages (the Dockerfile omits them)", async () => {
    await expect(npmCi()).resolves.toBeDefined();
    await expect(npmCi("--omit=optional")).resolves.toBeDefined();
    // Node 20, the supported version: no "Unsupported engine" warning (EBADENGINE).
    expect((await npmCi()).stderr).not.toMatch(/EBADENGINE/);
  }, 120_000);
});

/**
 * Node 20 is the supported version (package.json `engines`): a fresh install must print no
 * "Unsupported engine" warning. Packages whose newest release wants Node 22 are pinned to the last
 * release that supports Node 20 through npm `overrides` (see the README, "Installing on Node 20").
 */
describe("engines on Node 20", () => {
  const root = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8"));
  const lock = JSON.parse(readFileSync(join(REPO_ROOT, "package-lock.json"), "utf8"));
  const packages = Object.entries(lock.packages as Record<string, { version?: string; engines?: { node?: string } }>).filter(([path]) => path);

  it("no package in the lockfile declares a Node engine that excludes Node 20.19", () => {
    const excluding = packages.filter(([, pkg]) => pkg.engines?.node && !semver.satisfies("20.19.0", pkg.engines.node)).map(([path, pkg]) => `${path}@${pkg.version} wants node ${pkg.engines!.node}`);
    expect(excluding).toEqual([]);
  });

  it("every override is honoured: each copy of an overridden package is in the pinned range", () => {
    const overrides = Object.entries(root.overrides as Record<string, string>);
    expect(overrides.length).toBeGreaterThan(0);
    for (const [name, range] of overrides) {
      const copies = packages.filter(([path]) => path.endsWith(`node_modules/${name}`));
      expect(copies.length).toBeGreaterThan(0);
      for (const [path, pkg] of copies) expect(`${path}@${pkg.version} in ${range}: ${semver.satisfies(pkg.version!, range)}`).toBe(`${path}@${pkg.version} in ${range}: true`);
    }
  });
});
