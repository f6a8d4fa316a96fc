import { SUBGRAPH_NAMES } from "../../shared/src/config";

/**
 * Where the gateway sends a subgraph's requests: `<NAME>_URL` when set (the subgraph's name in upper
 * case, anything but letters and digits as `_`: `members` → MEMBERS_URL, `inventory-v2` →
 * INVENTORY_V2_URL), otherwise the routing URL the supergraph file gives it (`@join__graph(url:)`),
 * so a supergraph composed elsewhere (Rover, another team's subgraphs) works as it is.
 */
export const urlVariableOf = (subgraph: string): string => `${subgraph.toUpperCase().replace(/[^A-Z0-9]/g, "_")}_URL`;

export function routingUrl(subgraph: string, supergraphUrl: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const variable = urlVariableOf(subgraph);
  const override = env[variable];
  if (override) {
    if (!isHttpUrl(override)) throw new Error(`${variable} must be an http(s) URL (subgraph "${subgraph}")`);
    return override;
  }
  if (!supergraphUrl) throw new Error(`subgraph "${subgraph}" has no routing URL in the supergraph: set ${variable}`);
  if (!isHttpUrl(supergraphUrl)) throw new Error(`subgraph "${subgraph}" has a routing URL that is not http(s) in the supergraph: set ${variable}`);
  return supergraphUrl;
}

/**
 * Our own subgraphs get the gateway's signed proof of the caller's identity; a subgraph the project
 * does not know (another team's) never does: the proof is not bound to one audience, so a foreign
 * service could replay it to ours for its minute of validity.
 */
export const isOwnSubgraph = (subgraph: string): boolean => (SUBGRAPH_NAMES as string[]).includes(subgraph);

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === "http:" || protocol === "https:";
  } catch {
    return false;
  }
}
