import { createHash } from "node:crypto";
import { copyFile, mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { CodegenConfig } from "@graphql-codegen/cli";

/**
 * GraphQL Code Generator for the example partner app (`npm run codegen`): typed documents for the
 * operations written with `graphql()` in src/, checked against the gateway's public API schema.
 * Everything is local: the schema is the committed file `npm run compose` writes, never a URL.
 * It also writes the app's trusted-documents manifest (hash -> document, `persisted-documents.json`)
 * and copies it to the gateway's folder of manifests, gateway/trusted-documents/partner-app.json.
 * CODEGEN_OUT_DIR and CODEGEN_MANIFEST_OUT let the staleness test generate elsewhere and compare with
 * the committed output.
 */
const outDir = process.env.CODEGEN_OUT_DIR ?? join(__dirname, "src", "gql");
const manifestOut = process.env.CODEGEN_MANIFEST_OUT ?? join(__dirname, "..", "..", "gateway", "trusted-documents", "partner-app.json");

const config: CodegenConfig = {
  schema: join(__dirname, "..", "..", "gateway", "schema.graphql"),
  documents: [join(__dirname, "src", "**", "*.ts"), `!${join(__dirname, "src", "gql", "**")}`],
  ignoreNoDocuments: false,
  generates: {
    [`${outDir}/`]: {
      preset: "client",
      presetConfig: {
        // No fragments here, so nothing to mask.
        fragmentMasking: false,
        // Each document carries its SHA-256 (`__meta__.hash`), the app sends only that, and the
        // manifest of all of them is what the gateway trusts (TRUSTED_DOCUMENTS=partners).
        // The hash is bare hex, as Apollo's persisted-query protocol has it (the preset's "sha256" adds a "sha256:" prefix).
        persistedDocuments: { mode: "embedHashInDocument", hashAlgorithm: (document: string) => createHash("sha256").update(document).digest("hex") },
      },
      config: {
        // Typed document nodes (the default documentMode, not "string"): what Apollo Client and urql
        // accept as they are, so a browser app can reuse these documents.
        // Enums as unions of string literals: no runtime objects, and JSON values fit them as is.
        enumType: "string-literal",
        useTypeImports: true,
        // DateTimeISO travels as an ISO 8601 string in JSON;
        // SafeInt (settlement totals) is a whole JSON number within ±(2^53 − 1);
        // JSON (a member's data export) is any JSON value.
        scalars: { DateTimeISO: "string", SafeInt: "number", JSON: "unknown" },
        strictScalars: true,
      },
    },
  },
  hooks: {
    afterAllFileWrite: async () => {
      await mkdir(dirname(manifestOut), { recursive: true });
      await copyFile(join(outDir, "persisted-documents.json"), manifestOut);
    },
  },
};

export default config;
