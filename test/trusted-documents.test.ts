import { copyFile, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { signToken } from "../shared/src/auth/jwt";
import { REPO_ROOT } from "../shared/src/config";
import { bearer, requestGraphQL } from "../tools/stack/graphql-client";
import { useDedicatedStack } from "./support/dedicated-stack";
import { eventually } from "./support/eventually";

/**
 * Trusted documents on a gateway with TRUSTED_DOCUMENTS=partners and the partner app's manifest (the
 * one `npm run codegen` writes) in a folder of its own: partner apps run only documents from a
 * manifest, sent by hash (POST or GET) or in full; members and admins run anything; an admin
 * registers and removes a manifest over HTTP; the client's mistakes are 400s with a code.
 */
const PARTNER_APP_MANIFEST = join(REPO_ROOT, "gateway", "trusted-documents", "partner-app.json");
// The partner app's ListRewards, exactly as codegen printed it into the manifest.
const LIST_REWARDS = "query ListRewards($first: Int, $partnerId: ID!) { partner(id: $partnerId) { currency id name pointsPerUnit } rewards(partnerId: $partnerId, first: $first) { active costPoints id minimumTier stock title } }";
// Hashes written out with `printf '%s' '<document>' | sha256sum`.
const LIST_REWARDS_HASH = "f09a87d6ff01ed6987efbf012ab1058f79a7c0f3838627f665e0f9af9dd4cbf0";
const PARTNERS = "query Partners { partners { id name } }";
const PARTNERS_HASH = "b6abf0bad788b427db0d5e9992ddca64155399645a9cf87ed8f684d2e4b031ca";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "trusted-documents-"));
  await copyFile(PARTNER_APP_MANIFEST, join(dir, "partner-app.json"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const dedicated = useDedicatedStack("trusted_documents", () => ({ TRUSTED_DOCUMENTS: "partners", TRUSTED_DOCUMENTS_DIR: dir, TRUSTED_DOCUMENTS_POLL_MS: "100" }));

interface Answer {
  status: number;
  data?: Record<string, any> | null;
  codes: unknown[];
}

async function answer(response: Response): Promise<Answer> {
  const body = (await response.json()) as { data?: Record<string, any> | null; errors?: { extensions?: { code?: unknown } }[] };
  return { status: response.status, data: body.data, codes: (body.errors ?? []).map((error) => error.extensions?.code) };
}

const post = async (body: Record<string, unknown>, headers: Record<string, string>) =>
  answer(await fetch(dedicated.stack.gatewayUrl, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) }));

const byHash = (hash: string, variables: Record<string, unknown> = {}) => ({ variables, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });

async function get(params: Record<string, unknown>, headers: Record<string, string>): Promise<Answer> {
  const search = new URLSearchParams(Object.entries(params).map(([name, value]): [string, string] => [name, typeof value === "string" ? value : JSON.stringify(value)]));
  return answer(await fetch(`${dedicated.stack.gatewayUrl}?${search}`, { headers }));
}

describe("trusted documents (TRUSTED_DOCUMENTS=partners)", () => {
  let partnerId: string;
  let partnerApp: Record<string, string>;
  let member: Record<string, string>;
  const admin = () => dedicated.admin();

  beforeAll(async () => {
    const url = dedicated.stack.gatewayUrl;
    ({ registerPartner: { id: partnerId } } = await requestGraphQL(url, `mutation { registerPartner(input: { slug: "td-${process.pid}", name: "Trusted", category: OTHER, pointsPerUnit: 1, currency: "EUR" }) { id } }`, {}, admin()));
    const { issuePartnerApiKey } = await requestGraphQL(url, `mutation($id: ID!) { issuePartnerApiKey(partnerId: $id) { key } }`, { id: partnerId }, admin());
    partnerApp = { "x-api-key": issuePartnerApiKey.key };
    const { enrollMember } = await requestGraphQL(url, `mutation { enrollMember(input: { email: "td-${process.pid}@example.com", displayName: "T" }) { id } }`, {}, admin());
    member = bearer(signToken({ sub: enrollMember.id, role: "member" }, dedicated.stack.env.JWT_SECRET!));
  });

  it("runs a partner app's trusted document by its hash alone, by POST and by GET", async () => {
    const posted = await post(byHash(LIST_REWARDS_HASH, { partnerId, first: 5 }), partnerApp);
    expect(posted).toEqual({ status: 200, data: { partner: expect.objectContaining({ id: partnerId, name: "Trusted" }), rewards: [] }, codes: [] });
    const got = await get(byHash(LIST_REWARDS_HASH, { partnerId, first: 5 }), partnerApp);
    expect(got).toEqual(posted);
  });

  it("takes the hash as GraphQL Code Generator's client preset embeds it by default, `sha256:<hex>` (the form its manifests' keys have)", async () => {
    // persistedDocuments: true in the client preset writes `{ "sha256:<hex>": document }` and embeds the same
    // `sha256:<hex>` in each document's __meta__.hash, which a client sends as extensions.persistedQuery.sha256Hash.
    const prefixed = `sha256:${LIST_REWARDS_HASH}`;
    expect(await post(byHash(prefixed, { partnerId, first: 5 }), partnerApp)).toEqual({ status: 200, data: { partner: expect.objectContaining({ id: partnerId }), rewards: [] }, codes: [] });
    expect(await get(byHash(prefixed, { partnerId, first: 5 }), partnerApp)).toMatchObject({ status: 200, codes: [] });
    // And with the text, as Apollo Client's persisted-query link resends it after PERSISTED_QUERY_NOT_FOUND.
    expect(await post({ query: LIST_REWARDS, ...byHash(prefixed, { partnerId }) }, partnerApp)).toMatchObject({ status: 200, codes: [] });
  });

  it("runs a trusted document sent in full, with or without its hash", async () => {
    expect(await post({ query: LIST_REWARDS, variables: { partnerId } }, partnerApp)).toMatchObject({ status: 200, codes: [] });
    expect(await post({ query: LIST_REWARDS, ...byHash(LIST_REWARDS_HASH, { partnerId }) }, partnerApp)).toMatchObject({ status: 200, codes: [] });
  });

  it("refuses any other document from a partner app, sent in full or by a hash registered as an automatic persisted query", async () => {
    expect(await post({ query: PARTNERS }, partnerApp)).toEqual({ status: 400, data: undefined, codes: ["PERSISTED_QUERY_NOT_IN_LIST"] });
    // Registered by a member (Apollo's automatic persisted queries), then sent by hash by the partner.
    expect(await post({ query: PARTNERS, ...byHash(PARTNERS_HASH) }, member)).toMatchObject({ status: 200, codes: [] });
    expect(await post(byHash(PARTNERS_HASH), partnerApp)).toMatchObject({ status: 400, codes: ["PERSISTED_QUERY_NOT_IN_LIST"] });
    // A mutation too (refused before anything runs).
    const link = `mutation { linkPartnerAccount(input: { partnerId: "${partnerId}", memberId: "00000000-0000-4000-8000-000000000000", externalId: "x" }) { status } }`;
    expect(await post({ query: link }, partnerApp)).toMatchObject({ status: 400, codes: ["PERSISTED_QUERY_NOT_IN_LIST"] });
  });

  it("answers PERSISTED_QUERY_NOT_FOUND for a hash no manifest holds", async () => {
    expect(await post(byHash("0".repeat(64)), partnerApp)).toMatchObject({ codes: ["PERSISTED_QUERY_NOT_FOUND"] });
    expect(await post(byHash("0".repeat(64)), member)).toMatchObject({ codes: ["PERSISTED_QUERY_NOT_FOUND"] });
  });

  it("lets members and admins send any document, and trusted ones by hash", async () => {
    expect(await post({ query: PARTNERS }, member)).toMatchObject({ status: 200, codes: [] });
    expect(await post({ query: PARTNERS }, admin())).toMatchObject({ status: 200, codes: [] });
    expect(await post(byHash(LIST_REWARDS_HASH, { partnerId }), admin())).toMatchObject({ status: 200, data: { partner: { id: partnerId } }, codes: [] });
  });

  it("answers 400 with a code, not a 500, for a hash that is not its query's, a bad persistedQuery, and a subscription", async () => {
    expect(await post({ query: PARTNERS, ...byHash(LIST_REWARDS_HASH) }, member)).toEqual({ status: 400, data: undefined, codes: ["PERSISTED_QUERY_HASH_MISMATCH"] });
    expect(await post({ query: PARTNERS, extensions: { persistedQuery: { version: 1, sha256Hash: 7 } } }, member)).toMatchObject({ status: 400, codes: ["PERSISTED_QUERY_HASH_MISMATCH"] });
    // A version other than 1: Apollo Server's error has no code of its own, and it was answered INTERNAL_SERVER_ERROR.
    for (const caller of [{}, member]) {
      expect(await post({ extensions: { persistedQuery: { version: 2, sha256Hash: LIST_REWARDS_HASH } } }, caller)).toMatchObject({ status: 400, codes: ["BAD_REQUEST"] });
      expect(await post({ query: PARTNERS, extensions: { persistedQuery: { version: 2, sha256Hash: "x" } } }, caller)).toMatchObject({ status: 400, codes: ["BAD_REQUEST"] });
    }
    expect(await post({ query: "subscription { partners { id } }" }, member)).toMatchObject({ status: 400, codes: ["OPERATION_NOT_SUPPORTED"] });
    expect(await post({ query: "subscription { partners { id } }" }, admin())).toMatchObject({ status: 400, codes: ["OPERATION_NOT_SUPPORTED"] });
  });

  describe("manifests registered by an admin", () => {
    const manifests = (method: string, name: string, headers: Record<string, string>, body?: unknown) =>
      fetch(dedicated.stack.gatewayUrl.replace(/\/graphql$/, `/trusted-documents/${name}`), {
        method,
        headers: { "content-type": "application/json", ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });

    it("refuses everyone but an admin, and a manifest with a bad entry, writing nothing", async () => {
      const manifest = { [PARTNERS_HASH]: PARTNERS };
      expect((await manifests("PUT", "mine", partnerApp, manifest)).status).toBe(403);
      expect((await manifests("PUT", "mine", member, manifest)).status).toBe(403);
      expect((await manifests("PUT", "mine", {}, manifest)).status).toBe(401);
      const broken = await fetch(dedicated.stack.gatewayUrl.replace(/\/graphql$/, "/trusted-documents/mine"), { method: "PUT", headers: { "content-type": "application/json", ...admin() }, body: "{ not json" });
      expect(broken.status).toBe(400);
      const lying = await manifests("PUT", "mine", admin(), { [LIST_REWARDS_HASH]: PARTNERS });
      expect(lying.status).toBe(400);
      expect(await lying.json()).toEqual({ errors: [{ message: expect.stringContaining("is not the SHA-256 of its document"), extensions: { code: "BAD_USER_INPUT" } }] });
      expect((await manifests("PUT", "..%2Fescape", admin(), manifest)).status).toBe(400);
      expect((await readdir(dir)).sort()).toEqual(["partner-app.json"]);
    });

    it("says a manifest sent without content-type: application/json must be sent as JSON, not that it is not a JSON object", async () => {
      // `curl -X PUT --data-binary @persisted-documents.json` sends application/x-www-form-urlencoded: the body is
      // a JSON object, and was refused as "a manifest is a JSON object".
      const manifest = JSON.stringify({ [PARTNERS_HASH]: PARTNERS });
      for (const type of ["application/x-www-form-urlencoded", "text/plain"]) {
        const sent = await fetch(dedicated.stack.gatewayUrl.replace(/\/graphql$/, "/trusted-documents/typed"), { method: "PUT", headers: { "content-type": type, ...admin() }, body: manifest });
        expect({ type, status: sent.status, body: await sent.json() }).toEqual({
          type,
          status: 400,
          body: { errors: [{ message: expect.stringContaining("content-type: application/json"), extensions: { code: "BAD_USER_INPUT" } }] },
        });
      }
      expect((await readdir(dir)).sort()).toEqual(["partner-app.json"]);
    });

    it("a registered manifest's documents run for partner apps, until it is deleted", async () => {
      const put = await manifests("PUT", "storefront", admin(), { format: "apollo-persisted-query-manifest", version: 1, operations: [{ id: PARTNERS_HASH, name: "Partners", type: "query", body: PARTNERS }] });
      expect(await put.json()).toEqual({ name: "storefront", documents: 1 });
      expect(await post(byHash(PARTNERS_HASH), partnerApp)).toMatchObject({ status: 200, data: { partners: expect.arrayContaining([{ id: partnerId, name: "Trusted" }]) }, codes: [] });
      expect(await post({ query: PARTNERS }, partnerApp)).toMatchObject({ status: 200, codes: [] });
      expect((await manifests("DELETE", "storefront", admin())).status).toBe(204);
      expect((await manifests("DELETE", "storefront", admin())).status).toBe(404);
      expect(await post({ query: PARTNERS }, partnerApp)).toMatchObject({ status: 400, codes: ["PERSISTED_QUERY_NOT_IN_LIST"] });
    });

    it("a manifest removed from or put into the folder is seen by the polling gateway", async () => {
      const listRewards = () => post(byHash(LIST_REWARDS_HASH, { partnerId }), partnerApp);
      await rm(join(dir, "partner-app.json"));
      // Not found, or found in Apollo's automatic persisted-query cache (a test above sent it in full with its hash): refused either way.
      await eventually(async () => (expect(await listRewards()).toMatchObject({ codes: [expect.stringMatching(/^PERSISTED_QUERY_NOT_(FOUND|IN_LIST)$/)] }), true));
      await copyFile(PARTNER_APP_MANIFEST, join(dir, "partner-app.json"));
      await eventually(async () => (expect(await listRewards()).toMatchObject({ status: 200, codes: [] }), true));
    });
  });
});
