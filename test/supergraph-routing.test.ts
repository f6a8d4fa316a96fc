import type { ChildProcess } from "node:child_process";
import { createWriteStream, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import type { IncomingHttpHeaders } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { composeServices } from "@apollo/composition";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginInlineTraceDisabled } from "@apollo/server/plugin/disabled";
import { startStandaloneServer } from "@apollo/server/standalone";
import { buildSubgraphSchema } from "@apollo/subgraph";
import { parse } from "graphql";
import { REPO_ROOT, SUBGRAPH_NAMES } from "../shared/src/config";
import { postGraphQL } from "../tools/stack/graphql-client";
import { asAdmin, unique } from "./support/gateway";
import { forkService, freePort, stopChild } from "../tools/stack/services";

/**
 * A gateway pointed at a supergraph composed elsewhere: our four subgraphs plus another team's
 * (`inventory-v2`, a name the project does not know). Routing URLs come from the supergraph file;
 * `<NAME>_URL` overrides one by name. The supergraph's URLs for `partners` and `inventory-v2` lead
 * nowhere, so the query below succeeds only if both overrides are used, and only if the others
 * (members, catalog, ledger: no variable set) come from the file.
 */
const NOWHERE = "http://127.0.0.1:1/graphql";

const INVENTORY_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  "A partner's shelves, as another team's inventory service sees them."
  type Partner @key(fields: "id") {
    id: ID!
    "Shelves the partner fills."
    shelfCount: Int!
  }
  type Query {
    "Whether the inventory service is up."
    inventoryStatus: String!
  }
`;

describe("the gateway follows its supergraph's routing URLs", () => {
  let dir: string;
  let inventory: ApolloServer<{ headers: IncomingHttpHeaders }>;
  const inventoryHeaders: IncomingHttpHeaders[] = [];
  let gateway: { url: string; child: ChildProcess } | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "coalition-routing-"));
    inventory = new ApolloServer<{ headers: IncomingHttpHeaders }>({
      schema: buildSubgraphSchema([
        {
          typeDefs: parse(INVENTORY_SDL),
          resolvers: {
            Query: { inventoryStatus: () => "stocked" },
            Partner: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, shelfCount: ref.id.length }) },
          } as any,
        },
      ]),
      plugins: [ApolloServerPluginInlineTraceDisabled()],
    });
    const { url: inventoryUrl } = await startStandaloneServer(inventory, {
      listen: { port: await freePort() },
      context: async ({ req }) => {
        inventoryHeaders.push(req.headers);
        return { headers: req.headers };
      },
    });

    const env = process.env;
    const ours = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, env[`TEST_${name.toUpperCase()}_URL`]!]));
    const composed = composeServices([
      ...SUBGRAPH_NAMES.map((name) => ({
        name,
        typeDefs: parse(readFileSync(join(REPO_ROOT, "subgraphs", name, "schema.graphql"), "utf8")),
        url: name === "partners" ? NOWHERE : ours[name],
      })),
      { name: "inventory-v2", typeDefs: parse(INVENTORY_SDL), url: NOWHERE },
    ]);
    if (composed.errors) throw new Error(composed.errors.map((error) => error.message).join("\n"));
    const supergraphPath = join(dir, "supergraph.graphql");
    await writeFile(supergraphPath, composed.supergraphSdl);

    const inherited = { ...env };
    for (const name of SUBGRAPH_NAMES) delete inherited[`${name.toUpperCase()}_URL`];
    gateway = await forkService(
      "gateway",
      join(REPO_ROOT, "dist", "gateway", "src", "main.js"),
      {
        ...inherited,
        APOLLO_TELEMETRY_DISABLED: "1",
        NODE_ENV: "test",
        LOG_LEVEL: "warn",
        GATEWAY_PORT: String(await freePort()),
        GATEWAY_SECRET: env.TEST_GATEWAY_SECRET,
        SERVICE_SECRET: env.TEST_SERVICE_SECRET,
        JWT_SECRET: env.TEST_JWT_SECRET,
        SUPERGRAPH_PATH: supergraphPath,
        // By name: a known subgraph, and one the project does not know (`-` becomes `_`).
        PARTNERS_URL: ours.partners,
        INVENTORY_V2_URL: inventoryUrl,
      },
      env.TEST_SERVICES_LOG ? createWriteStream(env.TEST_SERVICES_LOG, { flags: "a" }) : null,
    );
  }, 60_000);

  afterAll(async () => {
    if (gateway) await stopChild(gateway.child);
    await inventory?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("answers across our subgraphs (URLs from the file) and another team's (URL from INVENTORY_V2_URL)", async () => {
    const slug = unique("routing");
    const registered = await postGraphQL(gateway!.url, `mutation($input: RegisterPartnerInput!) { registerPartner(input: $input) { id } }`, {
      input: { slug, name: "Routing Test Grocer", category: "GROCERY", pointsPerUnit: 1, currency: "EUR", returnWindowDays: 0 },
    }, asAdmin());
    expect(registered.errors).toBeUndefined();
    const enrolled = await postGraphQL(gateway!.url, `mutation($input: EnrollMemberInput!) { enrollMember(input: $input) { id balance { available } tier } }`, {
      input: { email: `${slug}@example.com`, displayName: "Routing Test" },
    }, asAdmin());
    expect(enrolled.errors).toBeUndefined();
    expect(enrolled.data!.enrollMember).toMatchObject({ balance: { available: 0 }, tier: "BASE" }); // members, then the ledger
    const result = await postGraphQL(gateway!.url, `{ inventoryStatus partners { id name shelfCount rewards { id } } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data!.inventoryStatus).toBe("stocked");
    const partner = result.data!.partners.find((p: { id: string }) => p.id === registered.data!.registerPartner.id);
    expect(partner).toMatchObject({ name: "Routing Test Grocer", rewards: [] }); // partners (PARTNERS_URL), then the catalog
    for (const each of result.data!.partners) expect(each.shelfCount).toBe(each.id.length); // inventory-v2's entity field
  });

  it("sends another team's subgraph no signed proof of the caller (it could replay it to ours)", async () => {
    expect(inventoryHeaders.length).toBeGreaterThan(0);
    for (const headers of inventoryHeaders) expect(headers["x-coalition-proof"]).toBeUndefined();
  });
});
