import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../../shared/src/config";

export const readme = () => readFileSync(join(REPO_ROOT, "README.md"), "utf8");

/** The README's headline query, exactly as a newcomer would paste it. */
export function readmeHeadlineQuery(): string {
  const match = /<!-- headline-query[^>]*-->\s*```graphql\n([\s\S]*?)```/.exec(readme());
  if (!match) throw new Error("README.md has no headline-query block");
  return match[1];
}
