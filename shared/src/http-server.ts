import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer, type ApolloServerOptions, type BaseContext } from "@apollo/server";
import { expressMiddleware } from "@as-integrations/express5";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import cors from "cors";
import express, { type Express, type NextFunction, type Request, type Response } from "express";
import { type Identity, PROOF_HEADER, type ProofSecrets, verifyProof } from "./auth/proof";
import { sqlStatements } from "./database";

export interface GraphQLHttpServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface ServeOptions<TContext extends BaseContext> {
  port: number;
  apollo: ApolloServerOptions<TContext>;
  context: (req: Request, identity: Identity) => Promise<TContext>;
  /** Checks that the service can do its work (e.g. its database answers); GET /health reports it. */
  health?: () => Promise<void>;
  /** Subgraphs: answer /graphql only with a valid proof from the gateway or another service (401 otherwise). */
  requireProof?: ProofSecrets;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes?: number;
  /** Operations accepted in one batched request (an array body); 0 refuses batches. */
  maxBatchOperations?: number;
  /** Extra HTTP routes (e.g. a test clock), mounted before /graphql. */
  routes?: (app: Express) => void;
}

/** Serves an Apollo server at /graphql, with /health and /metrics, and stops gracefully. */
export async function serveGraphQL<TContext extends BaseContext>(options: ServeOptions<TContext>): Promise<GraphQLHttpServer> {
  const app = express();
  app.disable("x-powered-by");
  const httpServer: Server = createServer(app);
  // Outlive the gateway's idle keep-alive sockets, or it may reuse one we just closed ("socket hang up").
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;
  const apollo = new ApolloServer<TContext>({
    ...options.apollo,
    plugins: [...(options.apollo.plugins ?? []), ApolloServerPluginDrainHttpServer({ httpServer })],
  } as ApolloServerOptions<TContext>);
  await apollo.start();

  app.get("/health", async (_req, res) => {
    try {
      await options.health?.();
      res.json({ status: "ok" });
    } catch (error) {
      res.status(503).json({ status: "unavailable", reason: (error as Error).message });
    }
  });
  app.get("/metrics", (_req, res) => {
    res.type("text/plain").send(
      `# HELP coalition_sql_statements_total SQL statements sent by this process.\n` +
        `# TYPE coalition_sql_statements_total counter\ncoalition_sql_statements_total ${sqlStatements.total}\n`,
    );
  });
  options.routes?.(app);
  if (options.requireProof) {
    const secrets = options.requireProof;
    app.use("/graphql", (req, res, next) => {
      const proof = verifyProof(req.header(PROOF_HEADER), secrets);
      if (!proof) {
        res.status(401).json({ errors: [{ message: "This service answers only the Coalition gateway", extensions: { code: "UNAUTHENTICATED" } }] });
        return;
      }
      res.locals.proof = proof;
      next();
    });
  }
  app.use(
    "/graphql",
    cors(),
    express.json({ limit: options.maxBodyBytes ?? 1_000_000 }),
    (req: Request, res: Response, next: NextFunction) => {
      const batch = Array.isArray(req.body) ? req.body.length : 0;
      if (batch > (options.maxBatchOperations ?? 0)) {
        const message = options.maxBatchOperations ? `At most ${options.maxBatchOperations} operations per batch` : "Batched requests are not accepted: send one operation per request";
        res.status(400).json({ errors: [{ message, extensions: { code: "BATCH_TOO_LARGE" } }] });
        return;
      }
      next();
    },
    expressMiddleware(apollo, { context: ({ req, res }) => options.context(req, res.locals.proof?.identity ?? { kind: "anonymous" }) }),
  );
  // Bodies that are too large or not JSON get a GraphQL-shaped error, never an HTML page or a 500.
  app.use((error: { type?: string; status?: number }, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    if (error.type === "entity.too.large") {
      res.status(413).json({ errors: [{ message: "Request body too large", extensions: { code: "PAYLOAD_TOO_LARGE" } }] });
    } else if (error.status && error.status < 500) {
      res.status(400).json({ errors: [{ message: "Request body is not valid JSON", extensions: { code: "BAD_REQUEST" } }] });
    } else {
      res.status(500).json({ errors: [{ message: "Internal server error", extensions: { code: "INTERNAL_SERVER_ERROR" } }] });
    }
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(options.port, resolve);
  });
  const port = (httpServer.address() as AddressInfo).port;
  return {
    port,
    url: `http://localhost:${port}/graphql`,
    stop: () => apollo.stop(),
  };
}
