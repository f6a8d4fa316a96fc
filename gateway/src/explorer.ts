import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Express } from "express";
import type { Logger } from "../../shared/src/logger";

/**
 * The explorer at `/` outside production: GraphiQL (docs explorer, history, headers editor) served by
 * the gateway itself from npm packages, so it works with no internet access at all. Apollo Sandbox,
 * which loads from Apollo's CDN, stays one click away at /sandbox. In development (`npm start`), the
 * page offers the demo member and admin tokens in one click: `npm start` writes them to
 * DEMO_TOKENS_FILE, and /explorer/demo-tokens.json serves that file (never in production).
 */

/** The only files the explorer serves: name in the URL → package and path inside it. */
const ASSETS: Record<string, { pkg: string; path: string; type: string }> = {
  "react.js": { pkg: "react", path: "umd/react.production.min.js", type: "text/javascript" },
  "react-dom.js": { pkg: "react-dom", path: "umd/react-dom.production.min.js", type: "text/javascript" },
  "graphiql.js": { pkg: "graphiql", path: "graphiql.min.js", type: "text/javascript" },
  "graphiql.css": { pkg: "graphiql", path: "graphiql.min.css", type: "text/css" },
};

export const EXPLORER_ASSET_PREFIX = "/explorer/assets/";
export const DEMO_TOKENS_PATH = "/explorer/demo-tokens.json";

/** The demo tokens `npm start` writes for the explorer (and the README's `export` lines). */
export interface DemoTokens {
  member?: string;
  admin?: string;
}

/** Where a package's file is: resolved from the gateway's own node_modules, never a CDN. */
function assetPath(pkg: string, path: string): string {
  return join(dirname(require.resolve(`${pkg}/package.json`)), path);
}

/** True when the explorer's packages are installed (they are dev dependencies: not in the production image). */
export function explorerAvailable(): boolean {
  try {
    for (const { pkg, path } of Object.values(ASSETS)) require.resolve(assetPath(pkg, path));
    return true;
  } catch {
    return false;
  }
}

export function serveExplorer(app: Express, { demoTokensFile, log }: { demoTokensFile?: string; log: Logger }): void {
  const cache = new Map<string, Buffer>();
  app.get("/", (_req, res) => {
    res.set("cache-control", "no-cache").type("html").send(EXPLORER_HTML);
  });
  // Sandbox is Apollo's landing page at /graphql (GET with accept: text/html); it needs the internet.
  app.get("/sandbox", (_req, res) => res.redirect(302, "/graphql"));
  app.get(`${EXPLORER_ASSET_PREFIX}:name`, async (req, res, next) => {
    const asset = Object.hasOwn(ASSETS, req.params.name) ? ASSETS[req.params.name] : undefined;
    if (!asset) return next();
    try {
      let body = cache.get(req.params.name);
      if (!body) cache.set(req.params.name, (body = await readFile(assetPath(asset.pkg, asset.path))));
      res.set("cache-control", "public, max-age=3600").type(asset.type).send(body);
    } catch (error) {
      log.warn("explorer asset missing", { asset: req.params.name, error: (error as Error).message });
      res.status(404).type("text/plain").send("Not found\n");
    }
  });
  app.get(DEMO_TOKENS_PATH, async (req, res) => {
    // Same origin only (no CORS headers), and the developer's own machine only: the gateway listens on every
    // interface, and a page of another site can rebind its own name to 127.0.0.1 to be same-origin.
    const local = isLocalPageRequest(req.socket.remoteAddress, req.headers.host);
    const tokens = demoTokensFile && local ? await readDemoTokens(demoTokensFile) : null;
    if (!tokens) return res.status(404).json({});
    res.set("cache-control", "no-store").json(tokens);
  });
}

const LOOPBACK_ADDRESS = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;
const LOOPBACK_HOST = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])(:\d{1,5})?$/i;

/**
 * The demo tokens go to the developer's own browser: a connection from this machine (not another one on
 * the network) that named this machine (not a site's name rebound by DNS to 127.0.0.1, which the page of
 * that site would be same-origin with).
 */
export function isLocalPageRequest(peer: string | undefined, host: string | undefined): boolean {
  return Boolean(peer && host && LOOPBACK_ADDRESS.test(peer) && LOOPBACK_HOST.test(host));
}

async function readDemoTokens(file: string): Promise<DemoTokens | null> {
  try {
    const { member, admin } = JSON.parse(await readFile(file, "utf8")) as DemoTokens;
    return { ...(typeof member === "string" ? { member } : {}), ...(typeof admin === "string" ? { admin } : {}) };
  } catch {
    // Not written yet (the seed is still running) or unreadable: the page simply offers no token.
    return null;
  }
}

// The page's script: plain browser JavaScript with React's UMD globals, no build step.
const EXPLORER_SCRIPT = `
const e = React.createElement;
const state = { query: undefined, headers: "", key: 0, tokens: {} };
const fetcher = GraphiQL.createFetcher({ url: "/graphql" });
const root = ReactDOM.createRoot(document.getElementById("graphiql"));
const useToken = (token) => {
  state.headers = token ? JSON.stringify({ Authorization: "Bearer " + token }, null, 2) : "";
  state.key++; // GraphiQL reads headers when it mounts: remount it, keeping the query
  render();
};
function render() {
  const bar = document.getElementById("tokens");
  bar.replaceChildren();
  for (const [name, label] of [["member", "Demo member token (Ada)"], ["admin", "Admin token"]]) {
    if (!state.tokens[name]) continue;
    const button = document.createElement("button");
    button.id = "use-" + name + "-token";
    button.textContent = label;
    button.onclick = () => useToken(state.tokens[name]);
    bar.append(button);
  }
  if (bar.children.length) {
    const none = document.createElement("button");
    none.id = "use-no-token";
    none.textContent = "No token";
    none.onclick = () => useToken("");
    bar.append(none);
  }
  root.render(e(GraphiQL, {
    key: state.key, fetcher, query: state.query, headers: state.headers, isHeadersEditorEnabled: true,
    defaultEditorToolsVisibility: state.headers ? "headers" : undefined,
    onEditQuery: (query) => { state.query = query; },
  }));
}
fetch("${DEMO_TOKENS_PATH}").then((r) => (r.ok ? r.json() : {})).catch(() => ({})).then((tokens) => { state.tokens = tokens; render(); });
`;

const EXPLORER_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Coalition GraphQL explorer</title>
<link rel="stylesheet" href="${EXPLORER_ASSET_PREFIX}graphiql.css">
<style>
  body { margin: 0; height: 100vh; display: flex; flex-direction: column; font-family: system-ui, sans-serif; }
  header { display: flex; gap: .75rem; align-items: center; padding: .4rem .8rem; border-bottom: 1px solid #ddd; font-size: 14px; }
  header strong { margin-right: auto; }
  header button { font: inherit; padding: .2rem .6rem; cursor: pointer; }
  #tokens { display: flex; gap: .5rem; }
  #graphiql { flex: 1; min-height: 0; }
</style>
</head>
<body>
<header>
  <strong>Coalition GraphQL explorer</strong>
  <span id="tokens"></span>
  <a id="open-sandbox" href="/sandbox" title="Apollo Sandbox loads from Apollo's CDN: it needs internet access">Apollo Sandbox (online) →</a>
</header>
<div id="graphiql">Loading the explorer…</div>
<script src="${EXPLORER_ASSET_PREFIX}react.js"></script>
<script src="${EXPLORER_ASSET_PREFIX}react-dom.js"></script>
<script src="${EXPLORER_ASSET_PREFIX}graphiql.js"></script>
<script>${EXPLORER_SCRIPT}</script>
</body>
</html>
`;
