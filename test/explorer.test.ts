import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { signToken } from "../shared/src/auth/jwt";
import { createLogger } from "../shared/src/logger";
import { DEMO_MEMBER_EMAIL, seedDemo } from "../tools/stack/demo-seed";
import { requestGraphQL } from "../tools/stack/graphql-client";
import { useDedicatedStack } from "./support/dedicated-stack";
import { gatewayUrl } from "./support/gateway";
import { readmeHeadlineQuery } from "./support/readme";

/**
 * The explorer at `/` in a real browser (Debian's chromium through playwright-core), with every
 * request to anything but the gateway blocked: it must need nothing from the internet.
 */
// Callbacks of page.evaluate run in the page: its document is `(globalThis as any).document` there
// (this project compiles without the DOM's types).
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`test/explorer.test.ts: SKIPPED, no browser at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);

describe("the explorer's routes", () => {
  it("GET / is the explorer page, whose scripts and styles all come from the gateway", async () => {
    const page = await fetch(new URL("/", gatewayUrl()));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Coalition GraphQL explorer");
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
    expect(sources.length).toBeGreaterThanOrEqual(4);
    for (const source of sources) expect(source).toMatch(/^\//); // same origin: no CDN
    for (const asset of sources.filter((source) => source.startsWith("/explorer/assets/"))) expect((await fetch(new URL(asset, gatewayUrl()))).status).toBe(200);
  });

  it("serves only its four assets, and no demo tokens where npm start wrote none", async () => {
    expect((await fetch(new URL("/explorer/assets/package.json", gatewayUrl()))).status).toBe(404);
    expect((await fetch(new URL("/explorer/assets/..%2Fpackage.json", gatewayUrl()))).status).toBe(404);
    expect((await fetch(new URL("/explorer/demo-tokens.json", gatewayUrl()))).status).toBe(404);
  });

  it("keeps Apollo Sandbox one click away: /sandbox leads to its page at /graphql", async () => {
    const page = await fetch(new URL("/sandbox", gatewayUrl()), { headers: { accept: "text/html" } });
    expect(page.url).toBe(gatewayUrl());
    expect(await page.text()).toContain("new window.EmbeddedSandbox(");
  });
});

(haveChromium ? describe : describe.skip)("the explorer in headless Chromium, offline", () => {
  let tokensDir: string;
  const tokensFile = () => join(tokensDir, "demo-tokens.json");
  beforeAll(async () => {
    tokensDir = await mkdtemp(join(tmpdir(), "coalition-explorer-"));
  });
  const dedicated = useDedicatedStack("explorer", () => ({ DEMO_TOKENS_FILE: tokensFile() }));
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    const url = dedicated.stack.gatewayUrl;
    origin = new URL(url).origin;
    await seedDemo(url, createLogger("demo-seed"), dedicated.admin());
    // As npm start does: the demo member's and an admin's tokens, in the file the gateway offers.
    const { memberByEmail } = await requestGraphQL(url, `query($e: String!) { memberByEmail(email: $e) { id } }`, { e: DEMO_MEMBER_EMAIL }, dedicated.admin());
    const secret = dedicated.stack.env.JWT_SECRET!;
    await writeFile(tokensFile(), JSON.stringify({ member: signToken({ sub: memberByEmail.id, role: "member" }, secret), admin: signToken({ sub: "dev-admin", role: "admin" }, secret) }));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
    });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await rm(tokensDir, { recursive: true, force: true });
  });

  /** A page whose every request to anything but the gateway is aborted (and recorded). */
  async function offlinePage() {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1600 } });
    const blocked: string[] = [];
    const pageErrors: string[] = [];
    await page.route("**/*", (route) => {
      const url = new URL(route.request().url());
      if (url.origin === origin) return route.continue();
      blocked.push(url.href);
      return route.abort("internetdisconnected");
    });
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto(`${origin}/`);
    await page.waitForSelector(".graphiql-query-editor .CodeMirror");
    return { page, blocked, pageErrors };
  }

  it("runs the README's headline query with the demo member's token, picked in one click, and shows Ada's balance", async () => {
    const { page, blocked, pageErrors } = await offlinePage();
    await page.click("#use-member-token");
    await page.waitForSelector(".graphiql-query-editor .CodeMirror");
    // The headers editor now holds the member's bearer token.
    const headers = await page.evaluate(() => Array.from((globalThis as any).document.querySelectorAll(".graphiql-editor-tool .CodeMirror")).map((editor: any) => editor.CodeMirror.getValue()).join("\n"));
    expect(headers).toMatch(/"Authorization": "Bearer ey/);
    await page.evaluate((query) => (globalThis as any).document.querySelector(".graphiql-query-editor .CodeMirror").CodeMirror.setValue(query), readmeHeadlineQuery());
    await page.click(".graphiql-execute-button");
    await page.waitForFunction(() => (globalThis as any).document.querySelector(".result-window")?.innerText.includes("lifetimeEarned"), null, { timeout: 30_000 });
    // What the page shows: the rendered result pane, and the whole text of its editor.
    const shown = await page.evaluate(() => (globalThis as any).document.querySelector(".result-window").innerText);
    expect(shown).toContain('"displayName": "Ada Lovelace"');
    const result = JSON.parse(await page.evaluate(() => (globalThis as any).document.querySelector(".result-window .CodeMirror").CodeMirror.getValue()));
    expect(result.errors).toBeUndefined();
    expect(result.data.memberByEmail.balance).toMatchObject({ available: 4_300, pending: 540 });
    expect(shown).toContain('"available": 4300');
    expect(blocked).toEqual([]);
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 60_000);

  it("has the docs explorer with the schema's descriptions, offline", async () => {
    const { page, blocked } = await offlinePage();
    await page.click('[aria-label="Show Documentation Explorer"]');
    await page.waitForSelector(".graphiql-doc-explorer", { timeout: 30_000 });
    await page.click(".graphiql-doc-explorer a.graphiql-doc-explorer-type-name >> text=Query");
    await page.waitForFunction(() => (globalThis as any).document.querySelector(".graphiql-doc-explorer")?.textContent?.includes("memberByEmail"), null, { timeout: 30_000 });
    expect(blocked).toEqual([]);
    await page.close();
  }, 60_000);
});
