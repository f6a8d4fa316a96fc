import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT } from "../shared/src/config";
import { createReward, enrollMember, headline, recordPurchase, registerPartner } from "./support/fixtures";
import { asMember, gatewayUrl, ok, unique } from "./support/gateway";

const run = promisify(execFile);
const APP = join(REPO_ROOT, "examples", "partner-app");
const TSC = join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");
const CODEGEN = join(REPO_ROOT, "node_modules", "@graphql-codegen", "cli", "esm", "bin.js");

/** Runs a node script; failures come back as the exit code and the output, not as a throw. */
async function node(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, args, { env, cwd: REPO_ROOT, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === "number" ? failed.code : 1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? String(error) };
  }
}

/** A compiler run that must pass: its diagnostics become the failure message. */
async function tsc(...args: string[]): Promise<void> {
  const result = await node([TSC, ...args]);
  if (result.code !== 0) throw new Error(`tsc ${args.join(" ")} failed:\n${result.stdout}${result.stderr}`);
}

/** Misuses the generated documents: each line must be a type error, so untyped (`any`) documents fail the check. */
const MISUSE = `
import { createClient } from "${APP}/src/client";
import { EarnAtCheckout, MemberPoints } from "${APP}/src/operations";

export async function misuse(): Promise<string | undefined> {
  const request = createClient("http://localhost:4000/graphql", "key");
  // @ts-expect-error callers never send points
  await request(EarnAtCheckout, { input: { partnerId: "p", memberId: "m", amountMinor: 1, currency: "EUR", reference: "r", points: 5 } });
  // @ts-expect-error memberId is required
  await request(MemberPoints, {});
  const { member } = await request(MemberPoints, { memberId: "m" });
  // @ts-expect-error the operation does not select email
  void member?.email;
  // @ts-expect-error tiers are a union of their names
  const tier: "BRONZE" | undefined = member?.tier;
  return tier;
}
`;

describe("example partner app (examples/partner-app)", () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "partner-app-"));
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  it("type-checks strictly, and its documents are typed by the generated code", async () => {
    await tsc("--noEmit", "-p", APP);
    await writeFile(join(work, "misuse.ts"), MISUSE);
    const config = {
      extends: join(APP, "tsconfig.json"),
      compilerOptions: { noEmit: true, rootDir: "/", typeRoots: [join(REPO_ROOT, "node_modules", "@types")] },
      include: [join(APP, "src"), join(work, "misuse.ts")],
    };
    await writeFile(join(work, "tsconfig.json"), JSON.stringify(config));
    await tsc("-p", join(work, "tsconfig.json"));
  }, 120_000);

  it("the committed generated code matches a fresh npm run codegen", async () => {
    const out = join(work, "gql");
    const manifest = join(work, "partner-app.json");
    const result = await node([CODEGEN, "--config", join(APP, "codegen.ts")], { ...process.env, CODEGEN_OUT_DIR: out, CODEGEN_MANIFEST_OUT: manifest });
    expect(result).toMatchObject({ code: 0 }); // on failure the output says why
    const committed = join(APP, "src", "gql");
    const [fresh, current] = [(await readdir(out)).sort(), (await readdir(committed)).sort()];
    expect(current).toEqual(fresh);
    expect(fresh).toEqual(expect.arrayContaining(["gql.ts", "graphql.ts", "persisted-documents.json"]));
    // The gateway's copy of the manifest, which it trusts, is the one codegen writes.
    expect(await readFile(join(REPO_ROOT, "gateway", "trusted-documents", "partner-app.json"), "utf8")).toBe(await readFile(manifest, "utf8"));
    const stale = [];
    for (const file of fresh) if ((await readFile(join(out, file), "utf8")) !== (await readFile(join(committed, file), "utf8"))) stale.push(file);
    expect(stale).toEqual([]); // out of date: run npm run codegen (after npm run compose)
    const generated = await readFile(join(committed, "graphql.ts"), "utf8");
    expect(generated).toContain("EarnAtCheckoutMutation");
    // Typed document nodes (what Apollo Client and urql take), each with its hash; not string-mode documents.
    expect(generated).toMatch(/export const EarnAtCheckoutDocument = \{"__meta__":\{"hash":"[0-9a-f]{64}"\},"kind":"Document"/);
    expect(generated).not.toContain("TypedDocumentString");
  }, 120_000);

  describe("against the live stack", () => {
    let main: string;
    const env: Record<string, string> = {};
    const app = (extra: Record<string, string> = {}) => node([main], { PATH: process.env.PATH, ...env, ...extra });

    beforeAll(async () => {
      await tsc("-p", APP, "--outDir", join(work, "build"));
      main = join(work, "build", "src", "main.js");
      const partner = await registerPartner({ name: "Corner Bakery", pointsPerUnit: 2, currency: "EUR", returnWindowDays: 0 });
      const member = await enrollMember({ displayName: "Grace Hopper" });
      await ok(`mutation($input: LinkPartnerAccountInput!) { linkPartnerAccount(input: $input) { externalId } }`, {
        input: { memberId: member.id, partnerId: partner.id, externalId: unique("card") },
      });
      await recordPurchase(partner, member.id, 1_000); // 20 points to start with
      await createReward(partner.id, { title: "Croissant", costPoints: 150, stock: 3 });
      await createReward(partner.id, { title: "Baguette", costPoints: 90, stock: null });
      const { issuePartnerApiKey } = await ok(`mutation($id: ID!) { issuePartnerApiKey(partnerId: $id) { key } }`, { id: partner.id });
      Object.assign(env, { GATEWAY_URL: gatewayUrl(), PARTNER_API_KEY: issuePartnerApiKey.key, PARTNER_ID: partner.id, MEMBER_ID: member.id });
    }, 120_000);

    it("earns at checkout, refunds part of it, shows the points and lists the rewards", async () => {
      const reference = unique("receipt");
      const first = await app({ AMOUNT_MINOR: "4599", REFUND_AMOUNT_MINOR: "2000", RECEIPT_REFERENCE: reference });
      expect(first.stderr).toBe("");
      expect(first.code).toBe(0);
      const lines = first.stdout.trim().split("\n");
      const entry = "\\(entry ([0-9a-f-]{36})\\)";
      expect(lines[0]).toBe("Partner: Corner Bakery (EUR, 2 points per EUR)");
      expect(lines[1]).toBe("Points before: 20 available (Grace Hopper, BASE)");
      // 45.99 EUR at 2 points per EUR: 91; refunding 20.00 of it claws back floor(91 × 2000 / 4599) = 39.
      expect(lines[2]).toMatch(new RegExp(`^Earned: 91 points for 45\\.99 EUR, receipt ${reference} ${entry}$`));
      expect(lines[3]).toBe("Points after the purchase: 111 available (Grace Hopper, BASE)");
      expect(lines[4]).toMatch(new RegExp(`^Refunded: -39 points for 20\\.00 EUR of receipt ${reference} ${entry}$`));
      expect(lines[5]).toBe("Points after the refund: 72 available (Grace Hopper, BASE)");
      expect(lines.slice(6)).toEqual(["Rewards at Corner Bakery: 2", "  - Baguette: 90 points, BASE and up, unlimited", "  - Croissant: 150 points, BASE and up, 3 left"]);
      expect((await headline(env.MEMBER_ID)).balance).toMatchObject({ available: 72, lifetimeEarned: 72 });

      // The same receipt again is the same checkout: the same entries come back and no point moves.
      const again = await app({ AMOUNT_MINOR: "4599", REFUND_AMOUNT_MINOR: "2000", RECEIPT_REFERENCE: reference });
      expect(again.code).toBe(0);
      const entries = (output: string) => [...output.matchAll(new RegExp(entry, "g"))].map((match) => match[1]);
      expect(entries(again.stdout)).toEqual(entries(first.stdout));
      expect(entries(first.stdout)).toHaveLength(2);
      expect(again.stdout).toContain("Points before: 72 available");
      expect(again.stdout).toContain("Points after the refund: 72 available");
      expect((await headline(env.MEMBER_ID)).balance.available).toBe(72);
    });

    it("asks to link a member's card: PENDING, so it earns but shows no points until the member approves", async () => {
      const customer = await enrollMember({ displayName: "Alan Turing" });
      const card = unique("card");
      const pending = await app({ MEMBER_ID: customer.id, MEMBER_ACCOUNT_ID: card, AMOUNT_MINOR: "1000", REFUND_AMOUNT_MINOR: "0" });
      expect(pending).toMatchObject({ code: 0, stderr: "" });
      const lines = pending.stdout.trim().split("\n");
      expect(lines[1]).toBe(`Link ${card}: PENDING until the member approves it in their app`);
      expect(lines[2]).toBe("Points before: not shown until the member approves the link");
      expect(lines[3]).toMatch(/^Earned: 20 points for 10\.00 EUR/);
      expect(lines[4]).toBe("Points after the purchase: not shown until the member approves the link");

      await ok(`mutation($id: ID!) { approvePartnerLink(partnerId: $id) { status } }`, { id: env.PARTNER_ID }, asMember(customer.id));
      const approved = await app({ MEMBER_ID: customer.id, MEMBER_ACCOUNT_ID: card, AMOUNT_MINOR: "1000", REFUND_AMOUNT_MINOR: "0" });
      expect(approved).toMatchObject({ code: 0, stderr: "" });
      expect(approved.stdout).toContain(`Link ${card}: ACTIVE\nPoints before: 20 available (Alan Turing, BASE)\n`);
      expect(approved.stdout).toContain("Points after the purchase: 40 available (Alan Turing, BASE)");
    });

    it("a member without a link (none asked for): earns, with the points not shown (it failed whole on FORBIDDEN)", async () => {
      const stranger = await enrollMember(); // not linked to the bakery: its app may not see them, and may record their purchase
      const notLinked = await app({ MEMBER_ID: stranger.id, REFUND_AMOUNT_MINOR: "0" });
      expect(notLinked).toMatchObject({ code: 0, stderr: "" });
      expect(notLinked.stdout).toContain("Points before: not shown (the member has no ACTIVE link with this partner)\nEarned: 50 points for 25.00 EUR");
      expect((await headline(stranger.id)).balance.lifetimeEarned).toBe(50); // 25.00 EUR at 2 points per EUR
    });

    it("exits non-zero with the error's code when the gateway refuses", async () => {
      const badKey = await app({ PARTNER_API_KEY: "not-a-key" });
      expect(badKey.code).toBe(1);
      expect(badKey.stderr).toMatch(/^Failed: .*\[UNAUTHENTICATED\]\n$/);
      const missing = await app({ PARTNER_API_KEY: "" });
      expect(missing).toMatchObject({ code: 1, stderr: expect.stringContaining("Set PARTNER_API_KEY") });
    });
  });
});
