import { execFile } from "node:child_process";
import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
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
  }, 120_000);
});
