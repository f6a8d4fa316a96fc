import { SUBGRAPHS, SUBGRAPH_NAMES } from "../config";

/**
 * .env.example's secrets are public placeholders (`change-me-…`) so that a first local `docker
 * compose up` starts; a production service refuses to start with one still in place, naming it.
 */
const PLACEHOLDER = /^change-me/i;

/** Secrets a service reads as they are. */
const SECRETS = ["GATEWAY_SECRET", "SERVICE_SECRET", "JWT_SECRET", "METRICS_TOKEN"];
/** Connection URLs whose password is a secret (COALITION_DB_PASSWORD goes into DATABASE_URL). */
const URLS = ["DATABASE_URL", ...SUBGRAPH_NAMES.map((name) => SUBGRAPHS[name].databaseUrlEnv), "REDIS_URL"];

export function refusePlaceholderSecrets(env = process.env): void {
  if (env.NODE_ENV !== "production") return;
  for (const name of SECRETS) {
    if (PLACEHOLDER.test(env[name] ?? "")) throw new Error(`${name} is still the placeholder from .env.example; set a secret of your own`);
  }
  for (const name of URLS) {
    if (PLACEHOLDER.test(passwordOf(env[name]))) throw new Error(`${name} holds a password that is still the placeholder from .env.example; set a password of your own`);
  }
}

function passwordOf(url: string | undefined): string {
  try {
    return url ? decodeURIComponent(new URL(url).password) : "";
  } catch {
    return "";
  }
}
