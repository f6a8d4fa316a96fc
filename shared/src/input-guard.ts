import type { ApolloServerPlugin } from "@apollo/server";
import { type ASTVisitor, GraphQLError, type ValidationContext } from "graphql";

/**
 * Text that no service can store: Postgres refuses a NUL character in text (and it truncates C
 * strings and log lines elsewhere), so a NUL anywhere in a request's strings, in the query text or in
 * its variables, is the client's mistake, answered BAD_USER_INPUT before any resolver runs, in every
 * service, instead of an INTERNAL_SERVER_ERROR from the database.
 */
const NUL = "\u0000";
const MESSAGE = "Text must not contain the NUL character (U+0000)";

/** The path of the first string holding a NUL, or null. */
export function pathOfNul(value: unknown, path = ""): string | null {
  if (typeof value === "string") return value.includes(NUL) ? path || "(value)" : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = pathOfNul(value[i], `${path}[${i}]`);
      if (found) return found;
    }
  } else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const found = pathOfNul(key, path) ?? pathOfNul(item, path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return null;
}

/** Validation rule: no NUL in a string literal of the document. */
export function noNulInStrings(context: ValidationContext): ASTVisitor {
  return {
    StringValue(node) {
      if (node.value.includes(NUL)) context.reportError(new GraphQLError(MESSAGE, { nodes: node, extensions: { limitCode: "BAD_USER_INPUT" } }));
    },
  };
}

/** Plugin: no NUL in any variable's value (checked before the operation runs). */
export function noNulInVariables(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request }) {
          const path = request.variables ? pathOfNul(request.variables) : null;
          if (path) throw new GraphQLError(`${MESSAGE}: variable ${path}`, { extensions: { code: "BAD_USER_INPUT", field: path, http: { status: 400 } } });
        },
      };
    },
  };
}
