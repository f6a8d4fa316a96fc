import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Subgraphs trust only the gateway and each other. Every request to a subgraph carries a proof: the
 * caller's identity, the subgraph it is for (its audience) and an expiry, signed with HMAC-SHA256. The
 * gateway signs with GATEWAY_SECRET, services calling each other sign with SERVICE_SECRET; anything
 * else gets 401, and so does a proof made for another subgraph: a service that sees an admin's proof
 * (every subgraph does, while it serves an admin) cannot replay it to another one; nor can it make one
 * with SERVICE_SECRET, which signs a service's own identity only.
 */
export const PROOF_HEADER = "x-coalition-proof";

export type Identity =
  | { kind: "anonymous" }
  | { kind: "member"; memberId: string }
  | { kind: "admin"; subject: string }
  | { kind: "partner"; partnerId: string }
  | { kind: "service"; service: string };

export type Signer = "gateway" | "service";

interface Payload {
  identity: Identity;
  signer: Signer;
  /** The subgraph the proof is for (SubgraphName). */
  aud: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

const encode = (value: string | Buffer) => Buffer.from(value).toString("base64url");
const mac = (data: string, secret: string) => createHmac("sha256", secret).update(data).digest();

/**
 * Most calls are for a caller seen a moment ago (a partner app's checkouts, a member's page), so both
 * sides keep what they computed: a signed proof is reused while more than half its life is left, and
 * a verified one is remembered until it expires. An HMAC per request was about 5% of the gateway's
 * CPU and 7% of a subgraph's on recordPurchase. Bounded: emptied when full.
 */
const MAX_KEPT = 50_000;
const signed = new Map<string, { proof: string; exp: number }>();
const verified = new Map<string, { identity: Identity; signer: Signer; exp: number }>();

export function signProof(identity: Identity, signer: Signer, secret: string, audience: string, ttlSeconds = 60, now = Date.now()): string {
  const key = `${signer}\n${secret}\n${audience}\n${JSON.stringify(identity)}`;
  const nowSeconds = Math.floor(now / 1000);
  const kept = signed.get(key);
  if (kept && kept.exp <= nowSeconds + ttlSeconds && kept.exp - nowSeconds >= ttlSeconds / 2) return kept.proof;
  const exp = nowSeconds + ttlSeconds;
  const payload = encode(JSON.stringify({ identity, signer, aud: audience, exp } satisfies Payload));
  const proof = `${payload}.${encode(mac(payload, secret))}`;
  if (signed.size >= MAX_KEPT) signed.clear();
  signed.set(key, { proof, exp });
  return proof;
}

export interface ProofSecrets {
  gateway: string;
  service: string;
}

/** The identity in a valid, unexpired proof made for `audience`; null for anything else (missing, forged, expired, malformed, for another subgraph). */
export function verifyProof(header: string | undefined, secrets: ProofSecrets, audience: string, now = Date.now()): { identity: Identity; signer: Signer } | null {
  if (!header || header.length > 4096) return null;
  const key = `${secrets.gateway}\n${secrets.service}\n${audience}\n${header}`;
  const kept = verified.get(key);
  if (kept) return kept.exp * 1000 < now ? null : { identity: kept.identity, signer: kept.signer };
  const [payload, signature, extra] = header.split(".");
  if (!payload || !signature || extra !== undefined) return null;
  let parsed: Payload;
  try {
    parsed = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Payload;
  } catch {
    return null;
  }
  const secret = parsed?.signer === "gateway" ? secrets.gateway : parsed?.signer === "service" ? secrets.service : null;
  if (!secret) return null;
  const expected = mac(payload, secret);
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  if (typeof parsed.exp !== "number" || parsed.exp * 1000 < now) return null;
  if (parsed.aud !== audience) return null;
  // SERVICE_SECRET (every subgraph holds it, to call the others) signs a service's own identity only, and the gateway
  // signs only its callers': otherwise a subgraph would not need to replay an admin's proof, it could make one for any audience.
  if (typeof parsed.identity !== "object" || parsed.identity === null || (parsed.signer === "service") !== (parsed.identity.kind === "service")) return null;
  if (verified.size >= MAX_KEPT) verified.clear();
  verified.set(key, { identity: parsed.identity, signer: parsed.signer, exp: parsed.exp });
  return { identity: parsed.identity, signer: parsed.signer };
}

/** The secrets from the environment; a service refuses to start without them. */
export function proofSecrets(env = process.env): ProofSecrets {
  const gateway = env.GATEWAY_SECRET;
  const service = env.SERVICE_SECRET;
  if (!gateway || gateway.length < 32 || !service || service.length < 32) {
    throw new Error("GATEWAY_SECRET and SERVICE_SECRET must be set, at least 32 characters each (npm start generates development ones)");
  }
  return { gateway, service };
}
