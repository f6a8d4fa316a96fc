import { createHash } from "node:crypto";
import { parse } from "graphql";

/**
 * Trusted-document manifests: the rules, as pure functions. A manifest maps the SHA-256 (hex) of a
 * document's exact text to that text, in either of the two formats the tools write:
 * - GraphQL Code Generator's client preset (`persisted-documents.json`): `{ "<sha256>": "<document>" }`
 *   (a key may carry the prefix `sha256:`, as the preset's default hash function writes it);
 * - Apollo's (`@apollo/generate-persisted-query-manifest`):
 *   `{ "format": "apollo-persisted-query-manifest", "version": 1, "operations": [{ "id", "body", ... }] }`.
 * Every entry's hash is checked against its text: an entry that lies about its hash is refused, so a
 * hash names exactly one document, the one Apollo Server hashes again when it runs it.
 */

export type TrustedDocumentsMode = "off" | "partners";

export const TRUSTED_DOCUMENTS_MODES: readonly TrustedDocumentsMode[] = ["off", "partners"];

/** The hash of a document as Apollo's persisted-query protocol defines it: SHA-256 of the text, lower-case hex. */
export const documentHash = (document: string): string => createHash("sha256").update(document).digest("hex");

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** A manifest's name (its file name without `.json`, or the name an admin registers it under). */
export const MANIFEST_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** Largest document accepted in a manifest, in characters (the gateway's REQUEST_MAX_BYTES default). */
export const MAX_DOCUMENT_LENGTH = 100_000;

export class ManifestError extends Error {}

/**
 * A document's hash without the `sha256:` prefix GraphQL Code Generator's client preset writes (its
 * default `persistedDocuments`: manifest keys, and the `__meta__.hash` its clients send), as the
 * GraphQL-over-HTTP persisted-documents appendix spells a SHA-256 document id.
 */
export const bareHash = (hash: string): string => (hash.startsWith("sha256:") ? hash.slice(7) : hash);

/**
 * Hash → document of one manifest; throws a ManifestError naming the first bad entry. `graphqlOnly`
 * (a manifest being registered) also refuses a document that does not parse as GraphQL: it could
 * never run, and its app would learn so only when it sent it. Manifests already on disk are read
 * without it, so that one such document never takes its manifest's others down at an upgrade.
 */
export function parseManifest(json: unknown, { graphqlOnly = false } = {}): Map<string, string> {
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new ManifestError("a manifest is a JSON object");
  const entries: [string, unknown][] =
    "format" in json
      ? apolloEntries(json as Record<string, unknown>)
      : Object.entries(json);
  const documents = new Map<string, string>();
  for (const [key, document] of entries) {
    const hash = bareHash(key);
    if (!SHA256_HEX.test(hash)) throw new ManifestError(`"${hash.slice(0, 80)}" is not a SHA-256 hash (64 lower-case hex digits)`);
    if (typeof document !== "string" || !document.trim()) throw new ManifestError(`the document of ${hash} is not a non-empty string`);
    if (document.length > MAX_DOCUMENT_LENGTH) throw new ManifestError(`the document of ${hash} is longer than ${MAX_DOCUMENT_LENGTH} characters`);
    if (document.includes("\u0000")) throw new ManifestError(`the document of ${hash} contains a NUL character`);
    if (documentHash(document) !== hash) throw new ManifestError(`${hash} is not the SHA-256 of its document`);
    if (graphqlOnly) {
      try {
        parse(document);
      } catch (error) {
        throw new ManifestError(`the document of ${hash} is not GraphQL: ${(error as Error).message}`);
      }
    }
    documents.set(hash, document);
  }
  return documents;
}

function apolloEntries(json: Record<string, unknown>): [string, unknown][] {
  if (json.format !== "apollo-persisted-query-manifest" || json.version !== 1) throw new ManifestError('an Apollo manifest has format "apollo-persisted-query-manifest" and version 1');
  if (!Array.isArray(json.operations)) throw new ManifestError("an Apollo manifest has an `operations` array");
  return json.operations.map((operation: unknown, index) => {
    const { id, body } = (operation ?? {}) as { id?: unknown; body?: unknown };
    if (typeof id !== "string") throw new ManifestError(`operations[${index}] has no string \`id\``);
    return [id, body];
  });
}

/**
 * Whether an operation may run: in `partners` mode a partner app's operation must be a trusted
 * document; members, admins and anonymous callers may send any document, and `off` refuses nothing.
 */
export function mayRun(mode: TrustedDocumentsMode, callerKind: string, trusted: boolean): boolean {
  return mode === "off" || callerKind !== "partner" || trusted;
}

/** TRUSTED_DOCUMENTS: `off` or `partners`; unset, `partners` in production and `off` elsewhere. */
export function trustedDocumentsMode(raw: string | undefined, production: boolean): TrustedDocumentsMode {
  if (raw === undefined || raw === "") return production ? "partners" : "off";
  if ((TRUSTED_DOCUMENTS_MODES as string[]).includes(raw)) return raw as TrustedDocumentsMode;
  throw new Error(`TRUSTED_DOCUMENTS must be one of ${TRUSTED_DOCUMENTS_MODES.join(", ")}, got "${raw.slice(0, 40)}"`);
}
