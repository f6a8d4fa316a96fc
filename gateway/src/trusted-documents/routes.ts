import express, { type Express, type NextFunction, type Request, type Response } from "express";
import { GraphQLError } from "graphql";
import type { Identifier } from "../identity";
import { ManifestError } from "./manifest";
import type { TrustedDocumentStore } from "./store";

/** Largest manifest an admin may register in one request. */
const MAX_MANIFEST_BYTES = 5_000_000;

const send = (res: Response, status: number, code: string, message: string) => res.status(status).json({ errors: [{ message, extensions: { code } }] });

/**
 * Admins register a partner app's manifest without a deploy:
 *   PUT    /trusted-documents/<name>   body: the manifest (either format), replaces one of that name
 *   DELETE /trusted-documents/<name>
 *   GET    /trusted-documents          the loaded documents' hashes
 * with `Authorization: Bearer <admin token>`; anyone else is refused (401 without a valid credential,
 * 403 with another one; an API key is refused without being looked up). The manifest lands in TRUSTED_DOCUMENTS_DIR, which every gateway process polls.
 */
export function trustedDocumentRoutes(app: Express, store: TrustedDocumentStore, identifier: Identifier): void {
  const adminOnly = async (req: Request, res: Response): Promise<boolean> => {
    // Admins hold a bearer token; without one nothing is looked up (an API key costs the partners service a lookup).
    if (!req.headers.authorization) {
      const partnerApp = Boolean(req.headers["x-api-key"]);
      send(res, partnerApp ? 403 : 401, partnerApp ? "FORBIDDEN" : "UNAUTHENTICATED", "Only an admin manages trusted documents: send Authorization: Bearer <admin token>");
      return false;
    }
    try {
      const identity = await identifier.identify(req.headers);
      if (identity.kind === "admin") return true;
      send(res, identity.kind === "anonymous" ? 401 : 403, identity.kind === "anonymous" ? "UNAUTHENTICATED" : "FORBIDDEN", "Only an admin manages trusted documents");
    } catch (error) {
      const code = error instanceof GraphQLError ? String(error.extensions.code ?? "UNAUTHENTICATED") : "UPSTREAM_UNAVAILABLE";
      send(res, code === "UNAUTHENTICATED" ? 401 : 503, code, error instanceof GraphQLError ? error.message : "The partners service did not answer");
    }
    return false;
  };
  app.get("/trusted-documents", async (req, res) => {
    if (await adminOnly(req, res)) res.json({ dir: store.dir, documents: store.size });
  });
  // A body that is not JSON, or too large, is the client's mistake (express's default would answer 500).
  const parseJson = express.json({ limit: MAX_MANIFEST_BYTES });
  const jsonBody = (req: Request, res: Response, next: NextFunction) => {
    // express.json() leaves any other body unread (curl's -d/--data-binary sends form-urlencoded), and the
    // manifest then looked like no JSON object at all: say what to send instead.
    if (!req.is("application/json")) {
      req.resume();
      send(res, 400, "BAD_USER_INPUT", "Send the manifest as JSON, with the header content-type: application/json");
      return;
    }
    parseJson(req, res, (error?: unknown) => {
      if (!error) return next();
      const status = (error as { status?: number }).status === 413 ? 413 : 400;
      send(res, status, status === 413 ? "PAYLOAD_TOO_LARGE" : "BAD_USER_INPUT", status === 413 ? `A manifest is at most ${MAX_MANIFEST_BYTES} bytes` : "The manifest is not valid JSON");
    });
  };
  // The caller is checked before the body is read: anyone may reach this route, and a manifest may be
  // 5 MB (50 times REQUEST_MAX_BYTES), parsed outside the rate limits and the admission queue.
  const admins = async (req: Request, res: Response, next: NextFunction) => {
    if (await adminOnly(req, res)) next();
    else req.resume();
  };
  app.put("/trusted-documents/:name", admins, jsonBody, async (req, res) => {
    try {
      const documents = await store.register(String(req.params.name), req.body);
      res.json({ name: req.params.name, documents });
    } catch (error) {
      if (error instanceof ManifestError) send(res, 400, "BAD_USER_INPUT", `Manifest refused: ${error.message}`);
      else send(res, 500, "INTERNAL_SERVER_ERROR", "The manifest could not be written");
    }
  });
  app.delete("/trusted-documents/:name", async (req, res) => {
    if (!(await adminOnly(req, res))) return;
    if (await store.unregister(String(req.params.name))) res.status(204).end();
    else send(res, 404, "NOT_FOUND", "No manifest of that name");
  });
}
