import type { GraphQLResolveInfo } from "graphql";

export interface CacheHint {
  maxAge: number;
  scope: "PUBLIC" | "PRIVATE";
}

/** Apollo Server's cache-control plugin adds this to `info` (absent where the plugin is not installed). */
type HintedInfo = GraphQLResolveInfo & { cacheControl?: { setCacheHint(hint: CacheHint): void } };

/** Hints this field's answer for the gateway's caches (and a client's): the answer's policy is the strictest hint in it. */
export function setCacheHint(info: unknown, hint: CacheHint): void {
  (info as HintedInfo).cacheControl?.setCacheHint(hint);
}

/**
 * True when the field's selection asks for the named fields and `__typename` and nothing else (no
 * other field, no fragment), in every place the field is selected. A hint given on such a field
 * holds for every scalar under it, so a resolver that hints only what it knows to be stable checks first.
 */
export function selectsOnly(info: Pick<GraphQLResolveInfo, "fieldNodes">, fields: readonly string[]): boolean {
  return info.fieldNodes.every(
    (node) => node.selectionSet?.selections.every((selection) => selection.kind === "Field" && (selection.name.value === "__typename" || fields.includes(selection.name.value))) ?? false,
  );
}
