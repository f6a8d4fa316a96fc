import { signProof } from "../../shared/src/auth/proof";
import { type AdmissionLimits } from "../../shared/src/overload";
import { serveGraphQL, type GraphQLHttpServer, type ServeOptions } from "../../shared/src/http-server";

/**
 * A GraphQL server over real HTTP (shared/src/http-server.ts) whose `run(wait: true)` holds its slot
 * until `release()`: for admission tests. Answers the members audience with proofs from `secrets`.
 */
export function useHoldingServer(admission: AdmissionLimits, extra: Partial<ServeOptions<Record<string, never>>> = {}) {
  const secrets = { gateway: "g".repeat(32), service: "s".repeat(32) };
  let server: GraphQLHttpServer;
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const state = { waiting: 0 };
  beforeAll(async () => {
    server = await serveGraphQL({
      port: 0,
      apollo: {
        typeDefs: `type Query { run(wait: Boolean!): Int! }`,
        resolvers: { Query: { run: async (_: unknown, { wait }: { wait: boolean }) => (wait ? (state.waiting++, released.then(() => 1)) : 1) } },
      },
      context: async () => ({}),
      requireProof: { ...secrets, audience: "members" },
      admission,
      ...extra,
    });
  });
  afterAll(async () => {
    release();
    await server?.stop();
  });
  return {
    url: () => server.url,
    release: () => release(),
    /** Requests holding a slot (run(wait: true) started). */
    waiting: () => state.waiting,
    serviceProof: signProof({ kind: "service", service: "gateway" }, "service", secrets.service, "members"),
    adminProof: signProof({ kind: "admin", subject: "ops" }, "gateway", secrets.gateway, "members"),
  };
}
