import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT } from "../shared/src/config";
import { signToken } from "../shared/src/auth/jwt";
import { createLogger } from "../shared/src/logger";
import { DEMO_MEMBER_EMAIL, isEmpty, seedDemo } from "../tools/stack/demo-seed";
import { bearer, postGraphQL, requestGraphQL } from "../tools/stack/graphql-client";
import { useDedicatedStack } from "./support/dedicated-stack";
import { readme } from "./support/readme";
import { apiSchema, typesSelectedWithoutId } from "./support/selected-ids";

/**
 * Every example of the README, run as written, in order, against a freshly seeded demo coalition, with
 * the token each names: ` ```graphql ` blocks through the gateway, and the ` ```sh ` blocks marked
 * `{"shell": true}` in bash with the banner's `export` lines set. The convention is the README's
 * ("Examples that run as written"): an `<!-- example {...} -->` comment above each block. Before them,
 * on the same stack, the demo coalition itself (what `npm start` seeds) and the README's headline query.
 */
interface Marker {
  token?: "MEMBER_TOKEN" | "ADMIN_TOKEN" | "PARTNER_KEY" | "none";
  variables?: Record<string, unknown>;
  keep?: Record<string, string>;
  error?: string;
  shell?: boolean;
}
interface Example {
  line: number;
  language: string;
  body: string;
  marker: Marker | null;
}

/** Fenced blocks with the `<!-- example {...} -->` comment found between the previous block and this one. */
export function readmeExamples(text: string): Example[] {
  const examples: Example[] = [];
  const fence = /^```([a-z]*)\n([\s\S]*?)^```$/gm;
  let previousEnd = 0;
  for (let match = fence.exec(text); match; match = fence.exec(text)) {
    const between = text.slice(previousEnd, match.index);
    const markers = [...between.matchAll(/^<!-- example (\{.*\}) -->$/gm)];
    const last = markers.at(-1);
    examples.push({ line: text.slice(0, match.index).split("\n").length, language: match[1], body: match[2], marker: last ? (JSON.parse(last[1]) as Marker) : null });
    previousEnd = match.index + match[0].length;
  }
  return examples;
}

/** The README's headline query, exactly as a newcomer would paste it. */
function readmeHeadlineQuery(): string {
  const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
  const match = /<!-- headline-query[^>]*-->\s*```graphql\n([\s\S]*?)```/.exec(readme);
  if (!match) throw new Error("README.md has no headline-query block");
  return match[1];
}

const at = (value: unknown, path: string): unknown => path.split(".").reduce<any>((node, key) => node?.[key], value);
const substitute = (value: unknown, kept: Record<string, string>): unknown =>
  typeof value === "string" && value.startsWith("$")
    ? (kept[value.slice(1)] ?? fail(`${value} is not kept by any earlier example`))
    : Array.isArray(value)
      ? value.map((each) => substitute(each, kept))
      : value && typeof value === "object"
        ? Object.fromEntries(Object.entries(value).map(([key, each]) => [key, substitute(each, kept)]))
        : value;
function fail(message: string): never {
  throw new Error(message);
}

describe("the README's examples", () => {
  const examples = readmeExamples(readme());
  const graphql = examples.filter((example) => example.language === "graphql");

  it("every GraphQL example names its token (an `<!-- example {...} -->` comment above it)", () => {
    expect(graphql.length).toBeGreaterThanOrEqual(15);
    expect(graphql.filter((example) => !example.marker?.token).map((example) => `README.md:${example.line}`)).toEqual([]);
  });

  it("every example selects the id of each object that has one, so both clients' caches normalise it", () => {
    // README, Frontend clients: "Every entity has an id ... select it, as every example here does". The
    // shell examples' queries too: a curl's `-d '{"query": ...}'` and the `gql` helper's second argument.
    const schema = apiSchema();
    const documents = examples.flatMap((example): { where: string; document: string }[] => {
      const where = `README.md:${example.line}`;
      if (example.language === "graphql") return [{ where, document: example.body }];
      if (example.language !== "sh") return [];
      const curls = [...example.body.matchAll(/-d '(\{"query".*?\})'/g)].map((match) => (JSON.parse(match[1]) as { query: string }).query);
      const helpers = [...example.body.matchAll(/^gql "[^"]*" '([^']*)'/gm)].map((match) => match[1]);
      return [...curls, ...helpers].map((document) => ({ where, document }));
    });
    expect(documents.filter(({ document }) => /\bviewer\b/.test(document)).length).toBeGreaterThan(0);
    expect(documents.map(({ where, document }) => ({ where, missing: typesSelectedWithoutId(schema, document) })).filter(({ missing }) => missing.length)).toEqual([]);
  });

  // One stack and one seed for the demo's own checks, then the examples, which change it: in that order.
  describe("run as written against the demo coalition npm start seeds", () => {
    const dedicated = useDedicatedStack("readme");
    const kept: Record<string, string> = {};
    const admin = () => dedicated.admin();

    beforeAll(async () => {
      const url = dedicated.stack.gatewayUrl;
      expect(await isEmpty(url)).toBe(true);
      await seedDemo(url, createLogger("demo-seed"), dedicated.admin());
      // The tokens of npm start's banner.
      const secret = dedicated.stack.env.JWT_SECRET!;
      const { memberByEmail } = await requestGraphQL(url, `query($e: String!) { memberByEmail(email: $e) { id } }`, { e: DEMO_MEMBER_EMAIL }, dedicated.admin());
      kept.GATEWAY = url;
      kept.ADMIN_TOKEN = signToken({ sub: "dev-admin", role: "admin" }, secret);
      kept.MEMBER_TOKEN = signToken({ sub: memberByEmail.id, role: "member" }, secret);
    }, 180_000);

    it("has partners in six categories or more, 50 members, 30 rewards with some out of stock and some expired", async () => {
      const data = await requestGraphQL(
        dedicated.stack.gatewayUrl,
        `{
        partners { category rewards { stock validUntil active } }
        members(first: 100) { balance { lifetimeEarned } tierProgress { pointsToNext current } }
      }`,
        {},
        admin(),
      );
      expect(new Set(data.partners.map((p: any) => p.category)).size).toBeGreaterThanOrEqual(6);
      expect(data.members).toHaveLength(50);
      const rewards = data.partners.flatMap((p: any) => p.rewards);
      expect(rewards.length).toBeGreaterThanOrEqual(30);
      expect(rewards.filter((r: any) => r.stock === 0).length).toBeGreaterThan(0);
      expect(rewards.filter((r: any) => r.validUntil && new Date(r.validUntil) < new Date()).length).toBeGreaterThan(0);
      expect(new Set(data.members.map((m: any) => m.balance.lifetimeEarned)).size).toBeGreaterThan(30);
      const nearThreshold = data.members.filter((m: any) => m.tierProgress.pointsToNext > 0 && m.tierProgress.pointsToNext <= 500);
      expect(nearThreshold.length).toBeGreaterThanOrEqual(3);
      expect(new Set(data.members.map((m: any) => m.tierProgress.current))).toEqual(new Set(["BASE", "SILVER", "GOLD", "PLATINUM"]));
    });

    it("answers the README's headline query for the demo member", async () => {
      // As the README says: with the demo member's own token, as npm start prints it.
      const { memberByEmail: found } = await requestGraphQL(dedicated.stack.gatewayUrl, `{ memberByEmail(email: "ada@example.com") { id } }`, {}, admin());
      const memberToken = bearer(signToken({ sub: found.id, role: "member" }, dedicated.stack.env.JWT_SECRET!));
      const { memberByEmail: ada } = await requestGraphQL(dedicated.stack.gatewayUrl, readmeHeadlineQuery(), {}, memberToken);
      expect(ada.displayName).toBe("Ada Lovelace");
      // Four links she agreed to, and one a partner's till made that waits for her approval.
      expect(ada.partnerAccounts.map((a: any) => a.status).sort()).toEqual(["ACTIVE", "ACTIVE", "ACTIVE", "ACTIVE", "PENDING"]);
      expect(ada.partnerAccounts.find((a: any) => a.status === "PENDING").partner.name).toBe("Urban Threads");
      expect(ada.balance).toMatchObject({ available: 4_300, pending: 540, lifetimeEarned: 5_240, lifetimeRedeemed: 400 });
      expect(ada.tierProgress).toEqual({ current: "BASE", next: "SILVER", qualifyingPoints: 4_700, nextThreshold: 5_000, pointsToNext: 300, progress: 0.94 });
      const costs = ada.eligibleRewards.map((r: any) => r.costPoints);
      expect(costs).toEqual([...costs].sort((a, b) => a - b));
      expect(costs.length).toBe(5);
      expect(ada.redemptions).toEqual([expect.objectContaining({ status: "COMPLETED", pointsSpent: 400, reward: expect.objectContaining({ title: "Free coffee of your choice" }) })]);
      expect(DEMO_MEMBER_EMAIL).toBe("ada@example.com");
    });

    const headersFor = (token: Marker["token"]): Record<string, string> => {
      if (!token || token === "none") return {};
      const value = kept[token] ?? fail(`${token} is not set by any earlier example`);
      return token === "PARTNER_KEY" ? { "x-api-key": value } : bearer(value);
    };

    it("each example answers as its marker says, in the README's order", async () => {
      for (const example of examples.filter((each) => each.marker)) {
        const where = `README.md:${example.line}`;
        const marker = example.marker!;
        if (marker.shell) {
          // As a reader's shell: the banner's export lines and the values the examples before said to keep
          // (`export PARTNER_KEY=...`); `-u`, so a variable the README never set fails instead of sending "".
          const { stdout } = await promisify(execFile)("bash", ["--norc", "--noprofile", "-e", "-u", "-o", "pipefail", "-c", example.body], {
            env: { PATH: process.env.PATH, ...kept },
          });
          const answer = JSON.parse(stdout);
          expect({ where, errors: answer.errors, data: answer.data != null }).toEqual({ where, errors: undefined, data: true });
          continue;
        }
        if (example.language !== "graphql") continue;
        const result = await postGraphQL(kept.GATEWAY, example.body, substitute(marker.variables ?? {}, kept) as Record<string, unknown>, headersFor(marker.token));
        const codes = result.errors?.map((error) => error.extensions?.code);
        // The README's line goes with every failure, so a broken example is named.
        expect({ where, errors: codes ? result.errors!.map((error) => `${error.extensions?.code}: ${error.message}`) : undefined }).toEqual({
          where,
          errors: marker.error ? [expect.stringMatching(new RegExp(`^${marker.error}: `))] : undefined,
        });
        for (const [name, path] of Object.entries(marker.keep ?? {})) {
          const value = at(result.data, path);
          expect({ where, [name]: typeof value }).toEqual({ where, [name]: "string" });
          kept[name] = value as string;
        }
      }
    }, 120_000);

    it("the flow did what its text says: Ada's link is ACTIVE, her refund and cancellation are booked, Grace got 250 points", async () => {
      const { member: grace } = await requestGraphQL(kept.GATEWAY, `query($id: ID!) { member(id: $id) { balance { available } } }`, { id: kept.GRACE_ID }, bearer(kept.ADMIN_TOKEN));
      expect(grace.balance.available).toBe(250);
      const { viewer } = await requestGraphQL(kept.GATEWAY, `{ viewer { member { partnerAccounts { partner { name } status } redemptions { status reward { title } } balance { available } } } }`, {}, bearer(kept.MEMBER_TOKEN));
      expect(viewer.member.partnerAccounts).toContainEqual({ partner: { name: "Northwind Books" }, status: "ACTIVE" });
      expect(viewer.member.redemptions).toContainEqual({ status: "CANCELLED", reward: { title: "€5 off any book" } });
      // 4,300 at the start; +100 earned, -40 refunded, the 300 redeemed came back, -250 given to Grace.
      expect(viewer.member.balance.available).toBe(4_300 + 100 - 40 - 250);
    });
  });
});
