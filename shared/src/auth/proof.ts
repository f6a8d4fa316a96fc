import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Subgraphs trust only the gateway and each other. Every request to a subgraph carries a proof: the
 * caller's identity and an expiry, signed with HMAC-SHA256. The gateway signs with GATEWAY_SECRET,
 * services calling each other sign with SERVICE_SECRET; anything else gets 401.
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
  /** Expiry, seconds since the epoch. */
  exp: number;
}

const encode = (value: string | Buffer) => Buffer.from(value).toString("base64url");
const mac = (data: string, secret: string) => createHmac("sha256", secret).update(data).digest();

export function signProof(identity: Identity, signer: Signer, secret: string, ttlSeconds = 60, now = Date.now()): string {
  const payload = encode(JSON.stringify({ identity, signer, exp: Math.floor(now / 1000) + ttlSeconds } satisfies Payload));
  return `${payload}.${encode(mac(payload, secret))}`;
}

export interface ProofSecrets {
  gateway: string;
  service: string;
}

/** The identity in a valid, unexpired proof; null for anything else (missing, forged, expired, malformed). */
export function verifyProof(header: string | undefined, secrets: ProofSecrets, now = Date.now()): { identity: Identity; signer: Signer } | null {
  if (!header || header.length > 4096) return null;
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
