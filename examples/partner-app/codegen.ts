import { join } from "node:path";
import type { CodegenConfig } from "@graphql-codegen/cli";

/**
 * GraphQL Code Generator for the example partner app (`npm run codegen`): typed documents for the
 * operations written with `graphql()` in src/, checked against the gateway's public API schema.
 * Everything is local: the schema is the committed file `npm run compose` writes, never a URL.
 * CODEGEN_OUT_DIR lets the staleness test generate elsewhere and compare with the committed output.
 */
const outDir = process.env.CODEGEN_OUT_DIR ?? join(__dirname, "src", "gql");

const config: CodegenConfig = {
  schema: join(__dirname, "..", "..", "gateway", "schema.graphql"),
  documents: [join(__dirname, "src", "**", "*.ts"), `!${join(__dirname, "src", "gql", "**")}`],
  ignoreNoDocuments: false,
  generates: {
    [`${outDir}/`]: {
      preset: "client",
      presetConfig: {
        // No fragments here, so nothing to mask; and no persisted documents.
        fragmentMasking: false,
      },
      config: {
        // Documents as plain strings (TypedDocumentString): the app posts them as they are, so it
        // needs neither the `graphql` package nor a `print` at run time.
        documentMode: "string",
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
};

export default config;
