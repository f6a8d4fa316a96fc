import type { ApolloServerPlugin } from "@apollo/server";
import { type ASTVisitor, type FloatValueNode, GraphQLError, GraphQLInt, type IntValueNode, type ValidationContext, getNamedType } from "graphql";

/**
 * Text that no service can store as sent: Postgres refuses a NUL character in text (and it truncates
 * C strings and log lines elsewhere), and an unpaired UTF-16 surrogate (a JSON "\ud800" on its own)
 * has no UTF-8 form, so the driver stores U+FFFD instead: "r-\ud800" and "r-\udfff" became the same
 * receipt. Such text anywhere in a request, in the query text (comments included) or in its
 * variables, is the client's mistake, answered BAD_USER_INPUT before any resolver runs, in every
 * service.
 */
const MESSAGE = "Text must not contain the NUL character (U+0000) or an unpaired surrogate (U+D800–U+DFFF)";

/** A high surrogate not followed by a low one, or a low one not preceded by a high one (read by UTF-16 units: no `u` flag). */
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const storable = (text: string) => !text.includes("\u0000") && !UNPAIRED_SURROGATE.test(text);

const unstorableText = (item: unknown) => typeof item === "string" && !storable(item);
/**
 * A number too large for a double: JSON.parse reads `1e400` as Infinity, and JSON.stringify writes
 * Infinity as null, so the gateway passed it on to the subgraph as null: where the type is nullable (a
 * campaign's `maxBonusPerMember`) the request went through as if the field had been left out.
 */
const infiniteNumber = (item: unknown) => typeof item === "number" && !Number.isFinite(item);

/**
 * The first key or value for which `bad` holds, with its path, or null. Walked with a stack of its
 * own, not by recursion: variables are anyone's JSON, and a few thousand nested arrays (8 KB)
 * overflowed the call stack, answered 500 INTERNAL_SERVER_ERROR.
 */
function firstRefused(value: unknown, bad: (item: unknown) => boolean, path = ""): { path: string; item: unknown } | null {
  // Depth first, in the order the recursion read them: each key before its value, items in order.
  const pending: [unknown, string][] = [[value, path]];
  while (pending.length) {
    const [item, at] = pending.pop()!;
    if (bad(item)) return { path: at || "(value)", item };
    if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i--) pending.push([item[i], `${at}[${i}]`]);
    } else if (typeof item === "object" && item !== null) {
      const entries = Object.entries(item);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, inner] = entries[i];
        pending.push([inner, at ? `${at}.${key}` : key], [key, at]);
      }
    }
  }
  return null;
}

/** The path of the first string (a key or a value) holding a NUL or an unpaired surrogate, or null. */
export const pathOfUnstorableText = (value: unknown, path = ""): string | null => firstRefused(value, unstorableText, path)?.path ?? null;

/** The path of the first number too large for a double (`infiniteNumber`), or null. */
export const pathOfInfiniteNumber = (value: unknown, path = ""): string | null => firstRefused(value, infiniteNumber, path)?.path ?? null;

/** The variables' first refused value (unstorable text or an infinite number), in one walk: the guard runs on every request. */
const refusedVariable = (variables: unknown) => firstRefused(variables, (item) => unstorableText(item) || infiniteNumber(item));

function finiteNumber(context: ValidationContext, node: FloatValueNode | IntValueNode): void {
  if (Number.isFinite(Number(node.value))) return;
  // Where an Int is expected graphql-js refuses it itself (GRAPHQL_VALIDATION_FAILED, like any value
  // outside 32 bits): a second error for the same literal would only muddle the answer.
  const expected = context.getInputType();
  if (expected && getNamedType(expected) === GraphQLInt) return;
  context.reportError(new GraphQLError(`Number ${node.value.length > 40 ? `${node.value.slice(0, 40)}…` : node.value} is too large to be read`, { nodes: node, extensions: { limitCode: "BAD_USER_INPUT" } }));
}

/**
 * Validation rule: no unstorable text in a string literal of the document (its escapes decoded), and
 * no number literal too large for a double: graphql-js reads `1e400` as Infinity without complaint
 * (a variable holding one it refuses itself), and the gateway's query planner then failed on it with HTTP 500
 * and an unlisted code, before any resolver could refuse the caller.
 */
export function storableStringLiterals(context: ValidationContext): ASTVisitor {
  return {
    StringValue(node) {
      if (!storable(node.value)) context.reportError(new GraphQLError(MESSAGE, { nodes: node, extensions: { limitCode: "BAD_USER_INPUT" } }));
    },
    FloatValue: (node) => finiteNumber(context, node),
    // An integer literal may stand for a Float too: 400 digits are Infinity as well.
    IntValue: (node) => finiteNumber(context, node),
  };
}

const badInput = (message: string, field?: string) => new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT", ...(field ? { field } : {}), http: { status: 400 } } });

/**
 * Plugin, run before the operation: the query text and every variable hold storable text, every number
 * in the variables is finite, and the document has the operation the request names. Without this last check an unknown `operationName`
 * (or none, with several operations) reached execution, where the gateway's query planner failed it
 * with HTTP 500 and an unlisted code; it is OPERATION_RESOLUTION_FAILURE, 400 (README, Error codes).
 */
export function requestGuard(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, source, operation }) {
          if (!storable(source)) throw badInput(`${MESSAGE}: in the query text`);
          const refused = request.variables ? refusedVariable(request.variables) : null;
          if (refused && typeof refused.item === "number") throw badInput(`A number too large to be read: variable ${refused.path}`, refused.path);
          if (refused) throw badInput(`${MESSAGE}: variable ${refused.path}`, refused.path);
          if (!operation) {
            const message = request.operationName
              ? `The document has no operation named ${JSON.stringify(request.operationName.slice(0, 100))}`
              : "The document has several operations: operationName must name one";
            throw new GraphQLError(message, { extensions: { code: "OPERATION_RESOLUTION_FAILURE", http: { status: 400 } } });
          }
        },
      };
    },
  };
}
