import { mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "../shared/src/config";
import { postGraphQL } from "../tools/stack/graphql-client";
import { useDedicatedStack } from "./support/dedicated-stack";
import { eventually } from "./support/eventually";

/** SUPERGRAPH_PATH: the gateway serves that file and follows it, without dropping a request. */
describe("supergraph reload", () => {
  let dir: string;
  let path: string;
  let original: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "coalition-supergraph-"));
    path = join(dir, "supergraph.graphql");
    original = await readFile(join(REPO_ROOT, "gateway", "supergraph.graphql"), "utf8");
    await writeFile(path, original);
  });
  const dedicated = useDedicatedStack("reload", () => ({ SUPERGRAPH_PATH: path, SUPERGRAPH_POLL_MS: "200" }));
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** As a deploy would: write beside it, then rename over it. */
  const replace = async (content: string) => {
    await writeFile(`${path}.next`, content);
    await rename(`${path}.next`, path);
  };
  const memberByEmailDescription = async () => {
    const { data } = await postGraphQL(dedicated.stack.gatewayUrl, `{ __type(name: "Query") { fields { name description } } }`, {}, dedicated.admin());
    return (data?.__type.fields as { name: string; description: string }[]).find((f) => f.name === "memberByEmail")!.description;
  };

  it("serves the new supergraph once the file changes, refuses a broken one, and fails no request meanwhile", async () => {
    expect(await memberByEmailDescription()).toMatch(/^A member by email address/);
    let running = true;
    let requests = 0;
    const failures: unknown[] = [];
    const traffic = Array.from({ length: 4 }, async () => {
      while (running) {
        const result = await postGraphQL(dedicated.stack.gatewayUrl, `{ partners { id name } }`, {}, dedicated.admin()).catch((error) => ({ errors: [error] }));
        requests++;
        if (result.errors?.length) failures.push(result.errors);
      }
    });

    await replace(original.replace("A member by email address", "Reloaded: a member by email address"));
    await eventually(async () => {
      expect(await memberByEmailDescription()).toMatch(/^Reloaded:/);
      return true;
    });
    await replace("type Query {");
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await memberByEmailDescription()).toMatch(/^Reloaded:/);
    await replace(original);
    await eventually(async () => {
      expect(await memberByEmailDescription()).toMatch(/^A member by email address/);
      return true;
    });

    running = false;
    await Promise.all(traffic);
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(20);
  });
});
