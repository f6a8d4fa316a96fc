import { PROOF_HEADER, signProof } from "../shared/src/auth/proof";

const SERVICES = ["members", "partners", "catalog", "ledger"] as const;
const QUERIES = {
  _service: `{ _service { sdl } }`,
  _entities: `query($r: [_Any!]!) { _entities(representations: $r) { __typename } }`,
};

async function callDirect(service: (typeof SERVICES)[number], query: string, headers: Record<string, string>) {
  const response = await fetch(process.env[`TEST_${service.toUpperCase()}_URL`]!, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query, variables: { r: [{ __typename: "Member", id: "00000000-0000-4000-8000-000000000000" }] } }),
  });
  return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] } };
}

const admin = { kind: "admin", subject: "test" } as const;
const proof = (value: string) => ({ [PROOF_HEADER]: value });

/** Subgraphs answer only requests signed by the gateway or another service, for them: the `_entities` hole is closed. */
describe("subgraphs trust only the gateway", () => {
  type Service = (typeof SERVICES)[number];
  const otherThan = (service: Service) => SERVICES.find((s) => s !== service)!;
  const rejected: [string, (service: Service) => Record<string, string>][] = [
    ["no proof", () => ({})],
    ["a forged proof", (service) => proof(signProof(admin, "gateway", "not-the-secret-but-long-enough-to-pass", service))],
    ["an expired proof", (service) => proof(signProof(admin, "gateway", process.env.TEST_GATEWAY_SECRET!, service, 60, Date.now() - 5 * 60_000))],
    ["the service secret claiming to be the gateway", (service) => proof(signProof(admin, "gateway", process.env.TEST_SERVICE_SECRET!, service))],
    // Every subgraph holds SERVICE_SECRET: it signs a service's own identity, never an admin's or a member's.
    ["an admin's identity signed with the service secret", (service) => proof(signProof(admin, "service", process.env.TEST_SERVICE_SECRET!, service))],
    ["a member's identity signed with the service secret", (service) => proof(signProof({ kind: "member", memberId: "00000000-0000-4000-8000-000000000000" }, "service", process.env.TEST_SERVICE_SECRET!, service))],
    ["a service's identity signed with the gateway secret", (service) => proof(signProof({ kind: "service", service: "gateway" }, "gateway", process.env.TEST_GATEWAY_SECRET!, service))],
    // What another subgraph saw while serving an admin, replayed: made for that subgraph, not this one.
    ["an admin's proof made for another subgraph", (service) => proof(signProof(admin, "gateway", process.env.TEST_GATEWAY_SECRET!, otherThan(service)))],
    ["a service's proof made for another subgraph", (service) => proof(signProof({ kind: "service", service: "catalog" }, "service", process.env.TEST_SERVICE_SECRET!, otherThan(service)))],
    [
      "a tampered identity",
      (service) => {
        const [, signature] = signProof({ kind: "anonymous" }, "gateway", process.env.TEST_GATEWAY_SECRET!, service).split(".");
        const payload = Buffer.from(JSON.stringify({ identity: admin, signer: "gateway", aud: service, exp: Math.floor(Date.now() / 1000) + 60 })).toString("base64url");
        return proof(`${payload}.${signature}`);
      },
    ],
    ["garbage", () => proof("not.a.proof")],
  ];

  for (const service of SERVICES) {
    for (const [operation, query] of Object.entries(QUERIES)) {
      it.each(rejected)(`${service} refuses ${operation} with %s (401)`, async (_what, headers) => {
        const { status, body } = await callDirect(service, query, headers(service));
        expect(status).toBe(401);
        expect(body.data).toBeUndefined();
        expect(body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
      });
    }

    it(`${service} answers a valid gateway or service proof`, async () => {
      for (const headers of [
        proof(signProof({ kind: "anonymous" }, "gateway", process.env.TEST_GATEWAY_SECRET!, service)),
        proof(signProof({ kind: "service", service: "catalog" }, "service", process.env.TEST_SERVICE_SECRET!, service)),
      ]) {
        const { status, body } = await callDirect(service, QUERIES._service, headers);
        expect(status).toBe(200);
        expect(JSON.stringify(body.data)).toContain("sdl");
      }
    });
  }
});
